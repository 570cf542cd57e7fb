package dev.checkpoint.coordinator;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps this worker's leases alive, every renew interval: each round loses the leases that ran out, keeps the
 * others alive (a renewal of each in per-lease mode, {@link Renewals}; one heartbeat in worker mode,
 * {@link HeartbeatRounds}), and tries the pending claims again.
 */
abstract class KeepAliveRounds {

    private static final Logger log = LoggerFactory.getLogger(KeepAliveRounds.class);

    final LeaseStore store;
    final HeldLeases leases;
    final LeaseEndings endings;
    final Supplier<CoordinatorThreads> threads;
    final Consumer<Shard> retake;
    final MonotonicClock clock;
    final long leaseNanos;
    private final BooleanSupplier stopping;
    private final Runnable pollClaims;

    KeepAliveRounds(LeaseStore store, HeldLeases leases, LeaseEndings endings, Supplier<CoordinatorThreads> threads,
            BooleanSupplier stopping, Runnable pollClaims, Consumer<Shard> retake) {
        this.store = store;
        this.leases = leases;
        this.endings = endings;
        this.threads = threads;
        this.stopping = stopping;
        this.pollClaims = pollClaims;
        this.retake = retake;
        this.clock = store.monotonicClock();
        this.leaseNanos = store.leaseDuration().toNanos();
    }

    /** One round. */
    final void round() {
        try {
            long now = clock.nanoTime();
            for (HeldLease lease : leases.all()) {
                if (now - lease.validUntilNanos > 0) {
                    endings.lose(lease, runOut());
                }
                else {
                    keepAlive(lease);
                }
            }
            afterLeases();
            if (!stopping.getAsBoolean()) {
                pollClaims.run();
            }
        }
        catch (RuntimeException unexpected) {
            log.warn("Renewal round of {} failed", store.workerId(), unexpected);
        }
    }

    /** Why a lease past its deadline is lost. */
    abstract String runOut();

    /** Keeps one lease alive that has not run out; nothing when the round keeps them all alive at once. */
    void keepAlive(HeldLease lease) {
    }

    /** After each lease had its turn. */
    void afterLeases() {
    }
}
