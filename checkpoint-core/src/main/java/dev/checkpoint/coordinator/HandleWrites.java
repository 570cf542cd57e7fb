package dev.checkpoint.coordinator;

import java.time.Duration;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.ShardResetException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * What the listener does through an {@link OwnedShard}: checkpoint, one write at a time per handle and only while it
 * is the live one; and give the shard back.
 */
final class HandleWrites {

    private static final Logger log = LoggerFactory.getLogger(HandleWrites.class);

    private final LeaseStore store;
    private final HeldLeases leases;
    private final LeaseEndings endings;
    /** Asks for a sync at once: after a shard is finished, so that its children start. */
    private final CoordinatorRun run;

    HandleWrites(LeaseStore store, HeldLeases leases, LeaseEndings endings, CoordinatorRun run) {
        this.store = store;
        this.leases = leases;
        this.endings = endings;
        this.run = run;
    }

    void checkpoint(OwnedShard handle, String sequenceNumber, @Nullable Long subSequenceNumber) {
        HeldLease lease = leases.get(handle.shardId());
        if (lease == null || lease.handle != handle) {
            throw notHeld(handle);
        }
        lease.writing.lock();
        try {
            if (!leases.isCurrent(lease) || !handle.isHeld()) {
                throw notHeld(handle);   // lost while this write waited for the one before it
            }
            write(lease, sequenceNumber, subSequenceNumber);
        }
        finally {
            lease.writing.unlock();
        }
    }

    void giveBack(OwnedShard handle) {
        HeldLease lease = leases.get(handle.shardId());
        if (lease != null && lease.handle == handle) {
            lease.writing.lock();   // after a checkpoint under way through this handle
            try {
                endings.giveBack(lease);
            }
            finally {
                lease.writing.unlock();
            }
        }
    }

    private void write(HeldLease lease, String sequenceNumber, @Nullable Long subSequenceNumber) {
        try {
            long left = lease.deadlineNanos() - store.monotonicClock().nanoTime();
            // a checkpoint must not outlast the lease
            store.checkpoint(lease.shardId(), sequenceNumber, subSequenceNumber, Duration.ofNanos(Math.max(1, left)));
        }
        catch (ShardResetException reset) {
            throw reset;   // still held: the next renewal learns of the reset and ends the lease for it
        }
        catch (LeaseLostException lost) {
            endings.lose(lease, lost.getMessage());
            throw lost;
        }
        if (CheckpointConstants.SHARD_END.equals(sequenceNumber)) {
            log.info("Shard {} is finished; releasing it so that its children can start", lease.shardId());
            endings.release(lease);
            run.syncNow();
        }
    }

    private LeaseLostException notHeld(OwnedShard handle) {
        return new LeaseLostException(handle.shardId(), "the lease on shard " + handle.shardId()
                + " is no longer held by " + store.workerId());
    }
}
