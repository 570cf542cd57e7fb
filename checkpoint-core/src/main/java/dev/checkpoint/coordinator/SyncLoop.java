package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The sync, every sync interval, and early when a lease seen may be about to expire: list the shards, scan the table
 * once, remove the rows of shards gone and create those of new ones, take free and expired leases up to the fair
 * share (several at once, in parallel), and claim from the busiest workers when unbalanced ({@link Balancer}). A
 * failing sync backs off.
 */
final class SyncLoop {

    private static final Logger log = LoggerFactory.getLogger(SyncLoop.class);
    private static final Duration EARLY_SYNC_MARGIN = Duration.ofMillis(20);

    private final LeaseStore store;
    private final ShardSource source;
    private final HeldLeases leases;
    private final LeaseEndings endings;
    private final Takes takes;
    private final KeepAliveRounds keepAlive;
    private final Balancer balancer;
    private final CoordinatorSettings settings;
    private final CoordinatorRun run;
    private final MonotonicClock clock;
    private final AtomicLong lastSyncNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger failedSyncs = new AtomicInteger();
    private volatile @Nullable String lastSyncError;
    private @Nullable ScheduledFuture<?> nextSync;

    SyncLoop(LeaseStore store, ShardSource source, HeldLeases leases, LeaseEndings endings, Takes takes,
            KeepAliveRounds keepAlive, Balancer balancer, CoordinatorSettings settings, CoordinatorRun run) {
        this.store = store;
        this.source = source;
        this.leases = leases;
        this.endings = endings;
        this.takes = takes;
        this.keepAlive = keepAlive;
        this.balancer = balancer;
        this.settings = settings;
        this.run = run;
        this.clock = store.monotonicClock();
    }

    /** Runs a sync after {@code delay}, instead of the one scheduled. On the sync thread. */
    void schedule(Duration delay) {
        if (run.isStopping()) {
            return;
        }
        if (nextSync != null) {
            nextSync.cancel(false);
        }
        nextSync = run.threads().sync.schedule(this::sync, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Asks for a sync at once, from any thread. */
    void syncNow() {
        if (!run.isStopping()) {
            run.threads().sync.execute(() -> schedule(Duration.ZERO));
        }
    }

    /** How long ago the last successful sync ended, or {@code null}. */
    @Nullable Duration sinceLastSync() {
        long last = lastSyncNanos.get();
        return last == Long.MIN_VALUE ? null : Duration.ofNanos(clock.nanoTime() - last);
    }

    int failedSyncs() {
        return failedSyncs.get();
    }

    @Nullable String lastSyncError() {
        return lastSyncError;
    }

    private void sync() {
        if (run.isStopping()) {
            return;
        }
        Duration next = settings.syncInterval();
        try {
            next = syncOnce();
            lastSyncNanos.set(clock.nanoTime());
            if (failedSyncs.getAndSet(0) > 0) {
                log.info("Lease sync of {} works again", store.workerId());
            }
            lastSyncError = null;
        }
        catch (RuntimeException failure) {
            lastSyncError = failure.getMessage();
            int failures = failedSyncs.incrementAndGet();
            next = backoff(failures);
            if (failures == 1) {
                log.warn("Lease sync of {} failed; retrying, at longest every {}, until it works: {}", store.workerId(),
                        backoff(Integer.MAX_VALUE), failure.getMessage());
            }
            else {
                log.debug("Lease sync of {} failed again: {}", store.workerId(), failure.getMessage());
            }
        }
        finally {
            schedule(next);
        }
    }

    /**
     * The delay before the next sync after {@code failures} failed ones in a row: the sync interval, doubling, up
     * to the longer of the sync interval and the lease duration. Leases are lost after a lease duration without
     * DynamoDB anyway, so waiting no longer than that keeps the recovery within one lease duration plus one sync
     * interval, while a long outage costs a request every few seconds rather than a retry storm.
     */
    private Duration backoff(int failures) {
        Duration cap = settings.syncInterval().compareTo(store.leaseDuration()) > 0
                ? settings.syncInterval() : store.leaseDuration();
        Duration delay = settings.syncInterval().multipliedBy(1L << Math.min(failures - 1, 20));
        return delay.compareTo(cap) > 0 ? cap : delay;
    }

    /** One sync; returns the delay until the next. */
    private Duration syncOnce() {
        List<Shard> shards = source.listShards();
        Map<String, Shard> listed = new HashMap<>();
        shards.forEach(shard -> listed.put(shard.id(), shard));
        takes.listed(listed);
        Map<String, Lease> rows = new HashMap<>();
        long scanSent = clock.nanoTime();
        for (Lease lease : store.scanForSync()) {
            rows.put(lease.shardId(), lease);
        }
        removeGoneShards(listed, rows);
        takes.forgetSettledClaims(rows);
        keepAlive.afterScan(rows, scanSent);

        Balancer.Plan plan = balancer.plan(shards, rows, store::isExpired, leases.shardIds(), takes.claimedShards(),
                takes.victims());
        int taken = takeUpTo(plan.takeCandidates(), plan.takeQuota(), listed);
        plan.claims().forEach((victim, shardIds) -> shardIds.forEach(shardId -> takes.claim(listed.get(shardId), victim)));
        keepAlive.afterTakes(rows);
        createMissingRows(shards, rows);
        log.debug("Sync of {}: {} shards, {} workers, fair share {}, took {}, claims pending {}", store.workerId(),
                shards.size(), plan.workers(), plan.target(), taken, takes.pendingClaims());
        return untilNextSync(rows);
    }

    private void removeGoneShards(Map<String, Shard> listed, Map<String, Lease> rows) {
        if (listed.isEmpty()) {
            return; // an empty listing is more likely a glitch than a stream without shards
        }
        for (String shardId : new ArrayList<>(rows.keySet())) {
            if (!listed.containsKey(shardId)) {
                store.remove(shardId);
                rows.remove(shardId);
                HeldLease lease = leases.get(shardId);
                if (lease != null) {
                    endings.lose(lease, "shard " + shardId + " is gone from the stream");
                }
                leases.forget(shardId);
                log.info("Removed the lease row of shard {}, which is gone from the stream", shardId);
            }
        }
    }

    private void createMissingRows(List<Shard> shards, Map<String, Lease> rows) {
        List<CompletableFuture<Void>> creations = new ArrayList<>();
        for (Shard shard : shards) {
            if (!rows.containsKey(shard.id()) && !leases.holds(shard.id())) {
                creations.add(CompletableFuture.runAsync(
                        () -> store.createIfMissing(shard.id(), shard.parentShardId()), run.threads().workers));
            }
        }
        CoordinatorThreads.awaitUnless(run::isStopping, CompletableFuture.allOf(creations.toArray(CompletableFuture[]::new)));
    }

    /** Takes up to {@code quota} of the candidates, a batch in parallel at a time, until the quota is met. */
    private int takeUpTo(List<String> candidates, int quota, Map<String, Shard> listed) {
        int taken = 0;
        int next = 0;
        while (taken < quota && next < candidates.size() && !run.isStopping()) {
            List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
            int batch = Math.min(quota - taken, candidates.size() - next);
            for (int i = 0; i < batch; i++) {
                Shard shard = listed.get(candidates.get(next++));
                attempts.add(CompletableFuture.supplyAsync(() -> takes.take(shard), run.threads().workers));
            }
            for (CompletableFuture<Boolean> attempt : attempts) {
                if (Boolean.TRUE.equals(CoordinatorThreads.awaitUnless(run::isStopping, attempt))) {
                    taken++;
                }
            }
        }
        return taken;
    }

    /**
     * The next sync is due after the sync interval, or sooner, just after the first lease owned by another worker
     * would expire if its owner stopped renewing it: so that a dead worker's shards move within one lease duration
     * of this worker first seeing its last renewal.
     */
    private Duration untilNextSync(Map<String, Lease> rows) {
        Duration next = settings.syncInterval();
        for (Lease lease : rows.values()) {
            if (lease.isOwned() && !lease.isOwnedBy(store.workerId()) && !lease.isFinished()) {
                Duration unchanged = store.unchangedFor(lease.shardId());
                if (unchanged != null) {
                    Duration remaining = store.leaseDuration().minus(unchanged);
                    if (!remaining.isNegative() && remaining.plus(EARLY_SYNC_MARGIN).compareTo(next) < 0) {
                        next = remaining.plus(EARLY_SYNC_MARGIN);
                    }
                }
            }
        }
        return next;
    }
}
