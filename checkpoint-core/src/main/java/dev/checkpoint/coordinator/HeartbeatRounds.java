package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.Map;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.Heartbeat;
import dev.checkpoint.KeepAlive;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.WorkerLostException;
import dev.checkpoint.coordinator.LeaseListener.EndReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker renewal mode's rounds, in place of {@link Renewals}: every renew interval, one heartbeat keeps every held
 * lease alive until a lease duration after it was sent. What the heartbeat brings back is acted on as a renewal's
 * refusal would be: a claim hands the shard over, a reset ends it and takes it again. A lease not kept alive by its
 * local deadline is lost ({@link LeaseDeadlines}), before any other worker can judge its owner dead; a refused
 * heartbeat, or one that comes after the lease duration has run out, loses every lease, and this worker registers
 * again under a new epoch. Each round also tries the pending claims again, and takes the shards handed over to it.
 */
final class HeartbeatRounds extends KeepAliveRounds {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatRounds.class);

    private final AtomicBoolean beating = new AtomicBoolean();
    private final KeepAlive.ByHeartbeat heartbeats;
    private final HeartbeatValidity validity;

    HeartbeatRounds(LeaseStore store, KeepAlive.ByHeartbeat heartbeats, HeartbeatValidity validity, HeldLeases leases,
            LeaseEndings endings, CoordinatorRun run, Runnable pollClaims, Consumer<Shard> retake,
            Function<String, @Nullable Shard> listedShard) {
        super(store, leases, endings, run, pollClaims, retake, listedShard);
        this.heartbeats = heartbeats;
        this.validity = validity;
    }

    /** Registers this worker; its registration counts as its first heartbeat. */
    void register() {
        long sent = clock.nanoTime();
        store.register();
        validity.renewed(sent);
    }

    /** Removes this worker's heartbeat row, once all is released: the others count it gone at once. */
    @Override
    void deregister() {
        heartbeats.deregister();
    }

    /** One heartbeat for all the leases, one at a time. */
    @Override
    void afterLeases() {
        if (beating.compareAndSet(false, true)) {
            run.threads().renewers.execute(validity.validUntilNanos(), this::beat);
        }
    }

    private void beat() {
        try {
            if (validity.isRegistered() && clock.nanoTime() - validity.validUntilNanos() > 0) {
                // The heartbeat lapsed: what this process held has run out. It starts over under a new epoch, so that
                // the rows still naming the old one are free to take at once, and not kept alive by a heartbeat that
                // resumes with nobody processing them.
                validity.lapsed(clock.nanoTime());
                for (HeldLease lease : leases.all()) {
                    endings.lose(lease, "no heartbeat within the lease duration");
                }
            }
            if (!validity.isRegistered()) {
                register();
            }
            long sent = clock.nanoTime();
            long left = validity.validUntilNanos() - sent;
            Heartbeat heartbeat = heartbeats.heartbeat(Duration.ofNanos(left > 0 ? left : leaseNanos));
            validity.renewed(sent);
            for (HeldLease lease : leases.all()) {
                if (leases.isCurrent(lease) && validity.covers(lease.takeSentNanos)
                        && lease.validUntilNanos - (sent + leaseNanos) < 0) {
                    lease.validUntilNanos = sent + leaseNanos;
                }
            }
            actOn(heartbeat);
        }
        catch (WorkerLostException lost) {
            validity.lapsed(clock.nanoTime());
            for (HeldLease lease : leases.all()) {
                endings.lose(lease, lost.getMessage());
            }
        }
        catch (CheckpointException failure) {
            log.debug("Heartbeat of {} failed; its leases stay held until they run out: {}", store.workerId(),
                    failure.getMessage());
        }
        finally {
            beating.set(false);
        }
    }

    private void actOn(Heartbeat heartbeat) {
        takeHandedOver(heartbeat.handedOver());
        heartbeat.claims().forEach((shardId, claimant) -> {
            HeldLease lease = leases.get(shardId);
            if (lease != null && lease.ending.get() == null) {
                log.info("Shard {} was claimed by {}; handing it over", shardId, claimant);
                endings.endAndRelease(lease, EndReason.CLAIMED);
            }
        });
        heartbeat.resets().forEach((resetId, shardId) -> {
            HeldLease lease = leases.get(shardId);
            if (lease != null && endings.endForReset(lease, resetId, retake)) {
                log.info("Shard {} is reset ({}): stopping it, to start again from there", shardId, resetId);
            }
        });
    }

    /**
     * Where no renewal reads a lease's row, a lease whose row the scan found deleted or in other
     * hands (an operator's doing) is lost here; leases taken after the scan was sent are left alone.
     */
    @Override
    void afterScan(Map<String, Lease> rows, long scanSent) {
        loseLeasesTheTableNoLongerGives(rows, scanSent);
        endResetLeases(rows);
    }

    private void loseLeasesTheTableNoLongerGives(Map<String, Lease> rows, long scanSent) {
        for (HeldLease lease : leases.all()) {
            Lease row = rows.get(lease.shardId());
            if (lease.heldSinceNanos - scanSent < 0 && (row == null || !row.isOwnedBy(store.workerId()))) {
                endings.lose(lease, row == null ? "its row is gone from the table" : "the table gives it to " + row.owner());
            }
        }
    }

    /**
     * A row that names this worker keeps living by its heartbeat even when this worker no longer
     * holds it (its release failed, say): those it did not take back just now are released, so that others take them.
     * Rows of an earlier epoch of this worker are refused by the release, and others take them without waiting.
     */
    @Override
    void afterTakes(Map<String, Lease> rows) {
        for (Lease row : rows.values()) {
            String shardId = row.shardId();
            if (row.isOwnedBy(store.workerId()) && !row.isFinished() && leases.startTaking(shardId)) {
                try {
                    store.release(shardId);
                    log.info("{} released shard {}: the table named it, but it held it no longer", store.workerId(),
                            shardId);
                }
                catch (CheckpointException notOurs) {
                    log.debug("Did not release shard {}: {}", shardId, notOurs.getMessage());
                }
                finally {
                    leases.endTaking(shardId);
                }
            }
        }
    }

    /**
     * The owner learns of a reset from its heartbeat's mailbox; should that notice have been
     * lost, it learns of it here, from the row.
     */
    private void endResetLeases(Map<String, Lease> rows) {
        for (HeldLease lease : leases.all()) {
            Lease row = rows.get(lease.shardId());
            if (row != null && row.hasPendingReset() && row.isOwnedBy(store.workerId())
                    && endings.endForReset(lease, row.pendingReset().id(), retake)) {
                log.info("Shard {} is reset, as its row says: stopping it, to start again from there", lease.shardId());
            }
        }
    }
}
