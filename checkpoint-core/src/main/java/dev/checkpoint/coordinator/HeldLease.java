package dev.checkpoint.coordinator;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.checkpoint.MonotonicClock;
import dev.checkpoint.Lease;
import dev.checkpoint.coordinator.LeaseListener.EndReason;
import org.jspecify.annotations.Nullable;

/** A lease this worker holds: the shard, the store's view of the row, the listener's handle, and its deadlines. */
final class HeldLease {

    final Shard shard;
    final OwnedShard handle;
    /** Whether a renewal of it is under way: one at a time. */
    final AtomicBoolean renewing = new AtomicBoolean();
    /** Why the lease is ending, or {@code null}; a lease ending for a claim is no longer renewed. */
    final AtomicReference<@Nullable EndReason> ending = new AtomicReference<>();
    /** Held while a checkpoint is written through this handle. */
    final ReentrantLock writing = new ReentrantLock();
    /** When the lease runs out (monotonic nanos): a lease duration after its last successful renewal was sent. */
    volatile long validUntilNanos;
    /** How long before it runs out the lease is given up: see {@link LeaseDeadlines}. */
    final long marginNanos;
    /** When the take had landed (monotonic nanos): a consistent read sent after it sees the lease as taken, or later. */
    final long heldSinceNanos;
    /** When the take was sent (monotonic nanos). */
    final long takeSentNanos;

    HeldLease(Shard shard, Lease taken, long takeSentNanos, long validUntilNanos, long marginNanos,
            OwnedShard.CheckpointWrite writer, Consumer<OwnedShard> releaser, MonotonicClock clock) {
        this.shard = shard;
        this.takeSentNanos = takeSentNanos;
        this.validUntilNanos = validUntilNanos;
        this.marginNanos = marginNanos;
        this.heldSinceNanos = clock.nanoTime();
        this.handle = new OwnedShard(shard.id(), shard.parentIds(), taken.checkpoint(),
                taken.checkpointSubSequenceNumber(), taken.startingPosition(), writer, releaser,
                () -> clock.nanoTime() - deadlineNanos() < 0);
    }

    /** The local deadline (monotonic nanos): the listener hears {@code leaseLost} by then, unless it is renewed. */
    long deadlineNanos() {
        return validUntilNanos - marginNanos;
    }

    String shardId() {
        return shard.id();
    }
}
