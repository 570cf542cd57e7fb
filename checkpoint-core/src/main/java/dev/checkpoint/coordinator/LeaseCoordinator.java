package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Checkpointer;
import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.KeepAlive;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.ResetRequest;
import dev.checkpoint.Resets;
import dev.checkpoint.coordinator.LeaseListener.EndReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one worker's share of the leases: takes, renews, balances, hands off and releases them, and tells the
 * {@link LeaseListener} which shards to process.
 *
 * <ul>
 * <li><b>Sync</b>, every sync interval, and early when a lease seen may be about to expire: list the shards,
 * scan the table once, create rows for new shards and remove those of shards gone, take free and expired leases
 * up to the fair share (several at once, in parallel), and claim from the busiest workers when unbalanced (see
 * {@link Balancer}).</li>
 * <li><b>Renew</b>, every renew interval, on threads of its own, in parallel: renew every lease held. Pending claims
 * of this worker are tried each time, so that a claimed shard moves as soon as its owner releases it.</li>
 * <li><b>Deadline</b>: each lease has a local deadline, a lease duration after the sending of its last successful
 * renewal less a tenth of it ({@link LeaseDeadlines}); a lease not renewed by then is given up on a timer of its own,
 * and the listener told {@code leaseLost}, before any other worker can take it.</li>
 * <li><b>Hand-off</b>: a claim on a held shard, or {@link #stop(Duration)}, tells the listener the lease is
 * ending, waits for it within the shutdown grace period, and then releases the lease; the claimant takes it at its
 * next renewal round, and on a stop each lease is handed to the live worker with the fewest ({@link HandOvers}),
 * which takes it at its next renewal or heartbeat. A stopping worker withdraws its own pending claims.</li>
 * <li><b>Parents first</b>: a shard is taken only when all its parents are checkpointed at {@code SHARD_END} or
 * gone from the source. A shard checkpointed at {@code SHARD_END} is released and done.</li>
 * </ul>
 */
public final class LeaseCoordinator {

    private static final Logger log = LoggerFactory.getLogger(LeaseCoordinator.class);

    private final LeaseStore store;
    private final CoordinatorSettings settings;
    private final MonotonicClock clock;
    private final String workerId;
    private final HeldLeases leases;
    private final LeaseEndings endings;
    private final Takes takes;
    private final SyncLoop syncs;
    /** How leases are kept alive every renew interval: renewals of each, or one heartbeat (worker renewal mode). */
    private final KeepAliveRounds keepAlive;
    private final CoordinatorThreads.Factory threadsFactory;
    private final ShardSource shardSource;
    private final CoordinatorRun run = new CoordinatorRun();

    private volatile boolean running;

    /** The parts, in the order they need each other: none needs one made after it. */
    private LeaseCoordinator(Builder builder) {
        this.store = builder.leaseStore;
        this.settings = builder.settings();
        this.clock = store.monotonicClock();
        this.workerId = store.workerId();
        this.leases = new HeldLeases(clock);
        this.endings = new LeaseEndings(store, leases, builder.listener, settings, run);
        HandleWrites handles = new HandleWrites(store, leases, endings, run);
        LeaseDeadlines deadlines = new LeaseDeadlines(leases, endings, run, clock, store.leaseDuration());
        long leaseNanos = store.leaseDuration().toNanos();
        KeepAlive keeping = store.keepAlive();
        HeartbeatValidity heartbeatValidity = new HeartbeatValidity(leaseNanos);
        this.takes = new Takes(store, leases, endings, deadlines, handles, builder.listener, run,
                keeping instanceof KeepAlive.ByHeartbeat ? heartbeatValidity::validUntil : sent -> sent + leaseNanos);
        this.keepAlive = keeping instanceof KeepAlive.ByHeartbeat heartbeats
                ? new HeartbeatRounds(store, heartbeats, heartbeatValidity, leases, endings, run, takes::pollClaims, takes::take,
                        takes::listedShard)
                : new Renewals(store, (KeepAlive.ByRenewal) keeping, leases, endings, run, takes::pollClaims, takes::take,
                        takes::listedShard);
        Balancer balancer = new Balancer(workerId, settings.maxLeasesForWorker(), settings.maxLeasesToStealAtOneTime(),
                store.isLeaseStealing(), builder.random);
        this.syncs = new SyncLoop(store, builder.shardSource, leases, endings, takes, keepAlive, balancer, settings, run);
        this.threadsFactory = builder.threadsFactory();
        this.shardSource = builder.shardSource;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts syncing and renewing; the first sync runs at once. In a table shared by consumer groups, first binds the
     * group to the shard source's stream.
     *
     * @throws dev.checkpoint.StreamIdentityMismatchException when the group is bound to another stream
     * @throws dev.checkpoint.RenewalModeMismatchException when the table's workers renew the other way
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        bindStream();
        register();
        CoordinatorThreads threads = threadsFactory.create(workerId, clock);
        run.begin(threads, syncs::syncNow);
        running = true;
        long renewNanos = settings.renewInterval().toNanos();
        threads.renewalRounds.scheduleAtFixedRate(keepAlive::round, renewNanos, renewNanos, TimeUnit.NANOSECONDS);
        syncs.schedule(Duration.ZERO);
        log.info("Lease coordinator {} started: renew every {}, sync every {}", workerId, settings.renewInterval(),
                settings.syncInterval());
    }

    /**
     * In a table shared by consumer groups, binds the group to the source's stream, or checks it, before anything is
     * written: a worker of the group reading another stream stops here.
     */
    private void bindStream() {
        if (store.consumerGroup() != null) {
            String identity = shardSource.identity();
            if (identity != null) {
                store.bindStream(identity);
                log.info("Consumer group {} of table {} consumes {}", store.consumerGroup(), store.tableName(), identity);
            }
        }
    }

    /**
     * Registers this worker (worker renewal mode), or checks the table's mode (per-lease mode). A table in the other mode
     * stops the start; DynamoDB not answering does not: the heartbeat rounds register later (nothing is taken before),
     * and in per-lease mode every sync's scan checks the mode before anything is taken.
     */
    private void register() {
        try {
            keepAlive.register();
        }
        catch (CheckpointStoreException unavailable) {
            log.warn("Lease coordinator {} could not register in table {} yet; it will again, before it takes any "
                    + "lease: {}", workerId, store.tableName(), unavailable.getMessage());
        }
    }

    /** {@link #stop(Duration)} with the configured shutdown grace period. */
    public void stop() {
        stop(settings.shutdownGrace());
    }

    /**
     * Stops in good order: no more takes (the sync ends, and takes under way finish), then every held lease is ended
     * through the listener, which gets up to {@code grace} in all to finish and checkpoint while the leases are still
     * renewed; then every lease is released, and each handed over to the live worker with the fewest leases, which
     * takes it at its next renewal or heartbeat.
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (!running || run.isStopping()) {
                return;
            }
            run.stop();
        }
        CoordinatorThreads pools = run.threads();
        pools.sync.shutdownNow();
        pools.awaitSyncAndTakes(leases, clock.nanoTime() + store.leaseDuration().toNanos());
        takes.withdrawClaims();
        long deadline = clock.nanoTime() + grace.toNanos();
        List<CompletableFuture<Void>> endingsUnderWay = new ArrayList<>();
        for (HeldLease lease : leases.all()) {
            endingsUnderWay.add(endings.end(lease, EndReason.SHUTDOWN));
        }
        pools.awaitUntil(CompletableFuture.allOf(endingsUnderWay.toArray(CompletableFuture[]::new)), deadline);
        pools.renewalRounds.shutdownNow();
        List<CompletableFuture<Void>> releases = new ArrayList<>();
        List<String> released = new ArrayList<>();
        for (HeldLease lease : leases.all()) {
            released.add(lease.shardId());
            releases.add(CompletableFuture.runAsync(() -> endings.release(lease), pools.workers));
        }
        pools.awaitUntil(CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)),
                clock.nanoTime() + store.leaseDuration().toNanos());
        HandOvers.handOver(store, released, pools, clock.nanoTime() + store.leaseDuration().toNanos());
        deregister();
        pools.shutdownNow();
        running = false;
        log.info("Lease coordinator {} stopped", workerId);
    }

    /** In worker renewal mode, removes this worker's heartbeat row once all is released: the others count it gone. */
    private void deregister() {
        try {
            keepAlive.deregister();
        }
        catch (CheckpointException failure) {
            log.info("Lease coordinator {} could not remove its heartbeat row; it will be judged gone instead: {}",
                    workerId, failure.getMessage());
        }
    }

    /** Stops dead, without releasing anything: what a crash looks like to the other workers. For tests. */
    synchronized void halt() {
        run.stop();
        CoordinatorThreads pools = run.threadsIfStarted();
        if (pools != null) {
            pools.shutdownNow();
        }
        running = false;
        leases.dropAll();
    }

    /**
     * Hands a lease this worker holds over, as a claim does: {@link LeaseListener#leaseEnding} with
     * {@link EndReason#REQUESTED} (the listener stops and checkpoints, within the shutdown grace period), then the
     * release. This worker then leaves the shard alone for one sync interval, so that whichever worker the balancer
     * picks takes it at once. The leases endpoint's release comes here.
     *
     * @return completes with {@code true} once released; {@code false} at once when this worker does not hold the
     *         lease, or is already ending it
     */
    public CompletableFuture<Boolean> handOff(String shardId) {
        return endings.handOff(shardId, run.isStopping());
    }

    /**
     * Resets the checkpoints of the group's shards, while it runs: see {@link Resets}. The owners, this worker among
     * them, learn of it at their next renewal; {@link LeaseListener#leaseEnding} with {@link EndReason#RESET}, then
     * {@link LeaseListener#leaseGained} from the reset position. Works whether or not this coordinator runs.
     *
     * @throws IllegalArgumentException naming the shards without a row; nothing is reset then
     */
    public List<ResetReceipt> reset(ResetRequest request) {
        return new Resets(store).request(request);
    }

    /** The shards this worker holds now. */
    public Set<String> ownedShards() {
        return leases.shardIds();
    }

    public CoordinatorStatus status() {
        return new CoordinatorStatus(running, ownedShards(), syncs.sinceLastSync(), syncs.failedSyncs(),
                syncs.lastSyncError());
    }

    /** The threads that renew this worker's leases, as they are now; {@code null} before the first start. */
    public @Nullable RenewalThreads renewalThreads() {
        CoordinatorThreads threads = run.threadsIfStarted();
        return threads == null ? null : threads.renewers.status();
    }

    public String getWorkerId() {
        return workerId;
    }

    /** Builds a {@link LeaseCoordinator}. The lease store (or checkpointer), the shard source and the listener are required. */
    public static final class Builder {

        private LeaseStore leaseStore;
        private ShardSource shardSource;
        private LeaseListener listener;
        private Duration renewInterval;
        private Duration syncInterval = Duration.ofSeconds(10);
        private int maxLeasesForWorker = Integer.MAX_VALUE;
        private int maxLeasesToStealAtOneTime = 4;
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private Random random = new Random();
        private int maxRenewalThreads = 64;
        private @Nullable ThreadFactory virtualThreads;
        private CoordinatorThreads.@Nullable Factory threadsFactory;

        private Builder() {
        }

        /** The lease table, as this worker sees it; its lease duration, worker id, clock and lease stealing apply. */
        public Builder leaseStore(LeaseStore leaseStore) {
            this.leaseStore = leaseStore;
            return this;
        }

        /** The checkpointer's {@link Checkpointer#leaseStore() lease store}. */
        public Builder checkpointer(Checkpointer checkpointer) {
            return leaseStore(checkpointer.leaseStore());
        }

        public Builder shardSource(ShardSource shardSource) {
            this.shardSource = shardSource;
            return this;
        }

        public Builder listener(LeaseListener listener) {
            this.listener = listener;
            return this;
        }

        /** How often held leases are renewed. Default a third of the lease duration; must be below half of it. */
        public Builder renewInterval(Duration renewInterval) {
            this.renewInterval = renewInterval;
            return this;
        }

        /** How often the shards and the table are read to take, balance and clean up. Default 10 seconds. */
        public Builder syncInterval(Duration syncInterval) {
            this.syncInterval = syncInterval;
            return this;
        }

        /** The most leases this worker holds, whatever its fair share. Default: no limit. */
        public Builder maxLeasesForWorker(int maxLeasesForWorker) {
            this.maxLeasesForWorker = maxLeasesForWorker;
            return this;
        }

        /** The most shards claimed from other workers in one sync. Default 4. */
        public Builder maxLeasesToStealAtOneTime(int maxLeasesToStealAtOneTime) {
            this.maxLeasesToStealAtOneTime = maxLeasesToStealAtOneTime;
            return this;
        }

        /** How long a listener gets to finish a lease that is ending before it is released anyway. Default 10 seconds. */
        public Builder shutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
            return this;
        }

        /**
         * The most threads that renew leases (or send heartbeats) at once: the renewals' budget of connections. The
         * pool has threads of its own, shared with nothing else; it grows with the leases held, one thread for every
         * 25, from 8 up to this. Default 64. Keep it below the DynamoDB client's connection pool.
         */
        public Builder maxRenewalThreads(int maxRenewalThreads) {
            this.maxRenewalThreads = maxRenewalThreads;
            return this;
        }

        /**
         * Renews the leases, and runs each listener callback, on virtual threads from {@code factory} (Java 21 and
         * later: {@code Thread.ofVirtual().factory()}): a renewal or a callback waiting on DynamoDB holds no platform
         * thread. Renewals stay bounded by {@link #maxRenewalThreads}. Default: platform threads. {@link #build()}
         * refuses a factory of platform threads.
         */
        public Builder virtualThreads(ThreadFactory factory) {
            this.virtualThreads = factory;
            return this;
        }

        /** Picks which free shards to take first and which shards to claim; seeded in tests. */
        Builder random(Random random) {
            this.random = random;
            return this;
        }

        /** Where the coordinator's work runs; tests drive it with a manual clock. */
        Builder threads(CoordinatorThreads.Factory threadsFactory) {
            this.threadsFactory = threadsFactory;
            return this;
        }

        CoordinatorThreads.Factory threadsFactory() {
            return threadsFactory != null ? threadsFactory
                    : new ThreadSettings(maxRenewalThreads, virtualThreads).factory();
        }

        CoordinatorSettings settings() {
            Duration lease = leaseStore.leaseDuration();
            return new CoordinatorSettings(renewInterval != null ? renewInterval : lease.dividedBy(3), syncInterval,
                    maxLeasesForWorker, maxLeasesToStealAtOneTime, shutdownGrace);
        }

        /** @throws InvalidSettingException naming the first setting that is missing or out of range */
        public LeaseCoordinator build() {
            if (leaseStore == null) {
                throw new InvalidSettingException("leaseStore", null, "set, or a checkpointer given");
            }
            if (shardSource == null) {
                throw new InvalidSettingException("shardSource", null, "set");
            }
            if (listener == null) {
                throw new InvalidSettingException("listener", null, "set");
            }
            settings().validate(leaseStore.leaseDuration());
            new ThreadSettings(maxRenewalThreads, virtualThreads).validate();
            return new LeaseCoordinator(this);
        }
    }
}
