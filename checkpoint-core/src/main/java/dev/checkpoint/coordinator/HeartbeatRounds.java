package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.Heartbeat;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.WorkerLostException;
import dev.checkpoint.coordinator.LeaseListener.EndReason;
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
    private volatile boolean registered;
    /** Until when this worker's leases are valid: a lease duration after its last successful heartbeat was sent. */
    private volatile long validUntilNanos;

    HeartbeatRounds(LeaseStore store, HeldLeases leases, LeaseEndings endings, Supplier<CoordinatorThreads> threads,
            BooleanSupplier stopping, Runnable pollClaims, Consumer<Shard> retake) {
        super(store, leases, endings, threads, stopping, pollClaims, retake);
    }

    /** Registers this worker; its registration counts as its first heartbeat. */
    void register() {
        long sent = clock.nanoTime();
        store.register();
        validUntilNanos = sent + leaseNanos;
        registered = true;
    }

    /** Until when a lease taken with a request sent at {@code sentNanos} is valid: no longer than the heartbeat's. */
    long validUntil(long sentNanos) {
        if (!registered) {
            return sentNanos;
        }
        long byHeartbeat = validUntilNanos;
        return byHeartbeat - (sentNanos + leaseNanos) < 0 ? byHeartbeat : sentNanos + leaseNanos;
    }

    /** One heartbeat for all the leases, one at a time. */
    @Override
    void afterLeases() {
        if (beating.compareAndSet(false, true)) {
            threads.get().renewers.execute(this::beat);
        }
    }

    private void beat() {
        try {
            if (registered && clock.nanoTime() - validUntilNanos > 0) {
                // The heartbeat lapsed: what this process held has run out. It starts over under a new epoch, so that
                // the rows still naming the old one are free to take at once, and not kept alive by a heartbeat that
                // resumes with nobody processing them.
                registered = false;
                for (HeldLease lease : leases.all()) {
                    endings.lose(lease, "no heartbeat within the lease duration");
                }
            }
            if (!registered) {
                register();
            }
            long sent = clock.nanoTime();
            long left = validUntilNanos - sent;
            Heartbeat heartbeat = store.heartbeat(Duration.ofNanos(left > 0 ? left : leaseNanos));
            validUntilNanos = sent + leaseNanos;
            for (HeldLease lease : leases.all()) {
                if (leases.isCurrent(lease) && lease.validUntilNanos - (sent + leaseNanos) < 0) {
                    lease.validUntilNanos = sent + leaseNanos;
                }
            }
            actOn(heartbeat);
        }
        catch (WorkerLostException lost) {
            registered = false;
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
}
