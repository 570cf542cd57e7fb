package dev.checkpoint.coordinator;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What keeps this worker's leases alive, every renew interval: each round keeps them alive (a renewal of each in
 * per-lease mode, {@link Renewals}; one heartbeat in worker mode, {@link HeartbeatRounds}), and tries the pending
 * claims again. A lease not kept alive in time is lost at its deadline by {@link LeaseDeadlines}, not here.
 */
abstract class KeepAliveRounds {

    private static final Logger log = LoggerFactory.getLogger(KeepAliveRounds.class);

    final LeaseStore store;
    final HeldLeases leases;
    final LeaseEndings endings;
    final CoordinatorRun run;
    final Consumer<Shard> retake;
    /** A shard with its parents, as the last sync listed it ({@code null}: not listed yet). */
    private final Function<String, @Nullable Shard> listedShard;
    final MonotonicClock clock;
    final long leaseNanos;
    private final Runnable pollClaims;

    KeepAliveRounds(LeaseStore store, HeldLeases leases, LeaseEndings endings, CoordinatorRun run, Runnable pollClaims,
            Consumer<Shard> retake, Function<String, @Nullable Shard> listedShard) {
        this.store = store;
        this.leases = leases;
        this.endings = endings;
        this.run = run;
        this.pollClaims = pollClaims;
        this.retake = retake;
        this.listedShard = listedShard;
        this.clock = store.monotonicClock();
        this.leaseNanos = store.leaseDuration().toNanos();
    }

    /** One round. */
    final void round() {
        try {
            Collection<HeldLease> held = leases.all();
            run.threads().renewers.fitTo(held.size());
            for (HeldLease lease : held) {
                keepAlive(lease);
            }
            afterLeases();
            if (!run.isStopping()) {
                pollClaims.run();
            }
        }
        catch (RuntimeException unexpected) {
            log.warn("Renewal round of {} failed", store.workerId(), unexpected);
        }
    }

    /** Takes at once the shards a stopping worker handed over to this one (see {@link HandOvers}). */
    final void takeHandedOver(Set<String> shardIds) {
        for (String shardId : shardIds) {
            Shard shard = listedShard.apply(shardId);
            if (shard == null) {
                log.debug("Shard {} was handed over before a sync listed it; the next sync takes it", shardId);
            }
            else if (!leases.holds(shardId) && !run.isStopping()) {
                log.info("{} takes shard {}, handed over by a worker that stopped", store.workerId(), shardId);
                run.threads().workers.execute(() -> retake.accept(shard));
            }
        }
    }

    /** Keeps one lease alive; nothing when the round keeps them all alive at once. */
    void keepAlive(HeldLease lease) {
    }

    /** Registers this worker before it takes anything, or checks the table's mode (see {@link LeaseStore#register}). */
    abstract void register();

    /** Once all is released, at a stop. */
    void deregister() {
    }

    /** After each lease had its turn. */
    void afterLeases() {
    }

    /** After a sync read the table ({@code rows}, the read sent at {@code scanSentNanos}), before it takes anything. */
    void afterScan(Map<String, Lease> rows, long scanSentNanos) {
    }

    /** After a sync's takes. */
    void afterTakes(Map<String, Lease> rows) {
    }
}
