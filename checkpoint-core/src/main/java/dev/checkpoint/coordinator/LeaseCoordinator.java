package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointException;
import dev.checkpoint.Checkpointer;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.coordinator.LeaseListener.EndReason;
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
 * <li><b>Renew</b>, every renew interval, on threads of its own, in parallel: renew every lease held. A lease not
 * renewed within the lease duration (counted from the sending of its last successful renewal) is given up at once
 * and reported lost, before any other worker can take it. Pending claims of this worker are tried each time, so
 * that a claimed shard moves as soon as its owner releases it.</li>
 * <li><b>Hand-off</b>: a claim on a held shard, or {@link #stop(Duration)}, tells the listener the lease is
 * ending, waits for it within the shutdown grace period, and then releases the lease, so that the next owner
 * takes it at once.</li>
 * <li><b>Parents first</b>: a shard is taken only when all its parents are checkpointed at {@code SHARD_END} or
 * gone from the source. A shard checkpointed at {@code SHARD_END} is released and done.</li>
 * </ul>
 */
public final class LeaseCoordinator {

    private static final Logger log = LoggerFactory.getLogger(LeaseCoordinator.class);
    private static final Duration EARLY_SYNC_MARGIN = Duration.ofMillis(20);
    /** Threads for renewals, and as many again for takes, claims and releases, so that renewals never wait. */
    private static final int PARALLELISM = 8;

    private final LeaseStore store;
    private final ShardSource source;
    private final LeaseListener listener;
    private final CoordinatorSettings settings;
    private final MonotonicClock clock;
    private final String workerId;
    private final long leaseNanos;
    private final Balancer balancer;

    private final ConcurrentMap<String, HeldShard> held = new ConcurrentHashMap<>();
    /** The shards a take is under way for: one at a time per shard. */
    private final Set<String> taking = ConcurrentHashMap.newKeySet();
    /** The last handle of each shard this worker held and no longer holds, until it takes the shard again. */
    private final ConcurrentMap<String, HeldShard> retired = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, PendingClaim> claims = new ConcurrentHashMap<>();
    /** Shards given back or handed off on request, and until when (monotonic nanos) this worker does not take them. */
    private final ConcurrentMap<String, Long> leftAlone = new ConcurrentHashMap<>();
    private final AtomicLong lastSyncNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicInteger failedSyncs = new AtomicInteger();
    private volatile String lastSyncError;
    private volatile Map<String, Shard> lastShards = Map.of();

    private ScheduledExecutorService syncThread;
    private ScheduledExecutorService renewThread;
    private ExecutorService renewers;
    private ExecutorService workers;
    private ShardCallbacks callbacks;
    private ScheduledFuture<?> nextSync;
    private volatile boolean running;
    private volatile boolean stopping;

    private LeaseCoordinator(Builder builder) {
        this.store = builder.leaseStore;
        this.source = builder.shardSource;
        this.listener = builder.listener;
        this.settings = builder.settings();
        this.clock = store.monotonicClock();
        this.workerId = store.workerId();
        this.leaseNanos = store.leaseDuration().toNanos();
        this.balancer = new Balancer(workerId, settings.maxLeasesForWorker(), settings.maxLeasesToStealAtOneTime(),
                store.isLeaseStealing(), builder.random);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts syncing and renewing; the first sync runs at once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        stopping = false;
        syncThread = Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("checkpoint-sync-" + workerId));
        renewThread = Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("checkpoint-renew-" + workerId));
        renewers = Executors.newFixedThreadPool(PARALLELISM, new DaemonThreadFactory("checkpoint-renewer-" + workerId));
        workers = Executors.newFixedThreadPool(PARALLELISM, new DaemonThreadFactory("checkpoint-lease-" + workerId));
        callbacks = new ShardCallbacks(workerId);
        running = true;
        long renewNanos = settings.renewInterval().toNanos();
        renewThread.scheduleAtFixedRate(this::renewAll, renewNanos, renewNanos, TimeUnit.NANOSECONDS);
        scheduleSync(Duration.ZERO);
        log.info("Lease coordinator {} started: renew every {}, sync every {}", workerId, settings.renewInterval(),
                settings.syncInterval());
    }

    /** {@link #stop(Duration)} with the configured shutdown grace period. */
    public void stop() {
        stop(settings.shutdownGrace());
    }

    /**
     * Stops in good order: no more takes, then every held lease is ended through the listener, which gets up to
     * {@code grace} in all to finish and checkpoint while the leases are still renewed; then every lease is
     * released, so that other workers take them at once.
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (!running || stopping) {
                return;
            }
            stopping = true;
        }
        syncThread.shutdownNow();
        awaitSyncAndTakes(clock.nanoTime() + store.leaseDuration().toNanos());
        long deadline = clock.nanoTime() + grace.toNanos();
        List<CompletableFuture<Void>> endings = new ArrayList<>();
        for (HeldShard shard : held.values()) {
            endings.add(endLease(shard, EndReason.SHUTDOWN));
        }
        awaitUntil(CompletableFuture.allOf(endings.toArray(CompletableFuture[]::new)), deadline);
        renewThread.shutdownNow();
        List<CompletableFuture<Void>> releases = new ArrayList<>();
        for (HeldShard shard : held.values()) {
            releases.add(CompletableFuture.runAsync(() -> release(shard), workers));
        }
        awaitUntil(CompletableFuture.allOf(releases.toArray(CompletableFuture[]::new)),
                clock.nanoTime() + store.leaseDuration().toNanos());
        shutdownThreads();
        log.info("Lease coordinator {} stopped", workerId);
    }

    /** Stops dead, without releasing anything: what a crash looks like to the other workers. For tests. */
    synchronized void halt() {
        stopping = true;
        syncThread.shutdownNow();
        renewThread.shutdownNow();
        shutdownThreads();
        held.values().forEach(shard -> shard.handle.markNotHeld());
        held.clear();
    }

    /** The shards this worker holds now. */
    public Set<String> ownedShards() {
        return new TreeSet<>(held.keySet());
    }

    public CoordinatorStatus status() {
        long last = lastSyncNanos.get();
        return new CoordinatorStatus(running, ownedShards(),
                last == Long.MIN_VALUE ? null : Duration.ofNanos(clock.nanoTime() - last), failedSyncs.get(),
                lastSyncError);
    }

    public String getWorkerId() {
        return workerId;
    }

    // -------------------------------------------------------------------------------------------------------- sync

    private void scheduleSync(Duration delay) {
        if (stopping) {
            return;
        }
        if (nextSync != null) {
            nextSync.cancel(false);
        }
        nextSync = syncThread.schedule(this::sync, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void sync() {
        if (stopping) {
            return;
        }
        Duration next = settings.syncInterval();
        try {
            next = syncOnce();
            lastSyncNanos.set(clock.nanoTime());
            if (failedSyncs.getAndSet(0) > 0) {
                log.info("Lease sync of {} works again", workerId);
            }
            lastSyncError = null;
        }
        catch (RuntimeException failure) {
            lastSyncError = failure.getMessage();
            int failures = failedSyncs.incrementAndGet();
            next = backoff(failures);
            if (failures == 1) {
                log.warn("Lease sync of {} failed; retrying, at longest every {}, until it works: {}", workerId,
                        backoff(Integer.MAX_VALUE), failure.getMessage());
            }
            else {
                log.debug("Lease sync of {} failed again: {}", workerId, failure.getMessage());
            }
        }
        finally {
            scheduleSync(next);
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
        lastShards = listed;
        Map<String, Lease> rows = new HashMap<>();
        for (Lease lease : store.scan()) {
            rows.put(lease.shardId(), lease);
        }
        removeGoneShards(listed, rows);
        claims.keySet().removeIf(shardId -> !rows.containsKey(shardId) || rows.get(shardId).isOwnedBy(workerId));

        Set<String> victims = new TreeSet<>();
        claims.values().forEach(claim -> victims.add(claim.victim()));
        Balancer.Plan plan = balancer.plan(shards, rows, store::isExpired, held.keySet(), claims.size(), victims);
        int taken = takeUpTo(plan.takeCandidates(), plan.takeQuota(), listed);
        plan.claims().forEach((victim, shardIds) -> shardIds.forEach(shardId -> claim(listed.get(shardId), victim)));
        createMissingRows(shards, rows);
        log.debug("Sync of {}: {} shards, {} workers, fair share {}, holding {}, took {}, claims pending {}", workerId,
                shards.size(), plan.workers(), plan.target(), held.size(), taken, claims.size());
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
                retired.remove(shardId);
                leftAlone.remove(shardId);
                HeldShard shard = held.get(shardId);
                if (shard != null) {
                    lose(shard, "shard " + shardId + " is gone from the stream");
                }
                log.info("Removed the lease row of shard {}, which is gone from the stream", shardId);
            }
        }
    }

    private void createMissingRows(List<Shard> shards, Map<String, Lease> rows) {
        List<CompletableFuture<Void>> creations = new ArrayList<>();
        for (Shard shard : shards) {
            if (!rows.containsKey(shard.id()) && !held.containsKey(shard.id())) {
                creations.add(CompletableFuture.runAsync(
                        () -> store.createIfMissing(shard.id(), shard.parentShardId()), workers));
            }
        }
        awaitUnlessStopping(CompletableFuture.allOf(creations.toArray(CompletableFuture[]::new)));
    }

    /**
     * The next sync is due after the sync interval, or sooner, just after the first lease owned by another worker
     * would expire if its owner stopped renewing it: so that a dead worker's shards move within one lease duration
     * of this worker first seeing its last renewal.
     */
    private Duration untilNextSync(Map<String, Lease> rows) {
        Duration next = settings.syncInterval();
        for (Lease lease : rows.values()) {
            if (lease.isOwned() && !lease.isOwnedBy(workerId) && !lease.isFinished()) {
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

    // --------------------------------------------------------------------------------------------- take and claim

    private int takeUpTo(List<String> candidates, int quota, Map<String, Shard> listed) {
        int taken = 0;
        int next = 0;
        while (taken < quota && next < candidates.size() && !stopping) {
            List<CompletableFuture<Boolean>> attempts = new ArrayList<>();
            int batch = Math.min(quota - taken, candidates.size() - next);
            for (int i = 0; i < batch; i++) {
                Shard shard = listed.get(candidates.get(next++));
                attempts.add(CompletableFuture.supplyAsync(() -> take(shard), workers));
            }
            for (CompletableFuture<Boolean> attempt : attempts) {
                if (Boolean.TRUE.equals(awaitUnlessStopping(attempt))) {
                    taken++;
                }
            }
        }
        return taken;
    }

    /**
     * Takes the lease and gives the shard to the listener; {@code false} when another worker won it, or when
     * this worker holds it or is taking it already (a sync and a pending claim may both try the same shard).
     */
    private boolean take(Shard shard) {
        if (stopping || leftAlone(shard.id()) || !taking.add(shard.id())) {
            return false;
        }
        try {
            return !held.containsKey(shard.id()) && takeNow(shard);
        }
        finally {
            taking.remove(shard.id());
        }
    }

    private boolean takeNow(Shard shard) {
        ShardStatus status = new ShardStatus(shard.id());
        status.setParentShardId(shard.parentShardId());
        awaitWritesOfEarlierHandle(shard.id());
        long sent = clock.nanoTime();
        try {
            store.take(status);
        }
        catch (CheckpointException refused) {
            log.debug("Did not take shard {}: {}", shard.id(), refused.getMessage());
            return false;
        }
        claims.remove(shard.id());
        HeldShard taken = new HeldShard(shard, status, sent + leaseNanos, this::checkpoint, this::giveBack, clock);
        held.put(shard.id(), taken);
        if (stopping) {
            release(taken); // taken while stopping began: give it straight back
            return false;
        }
        log.debug("{} took shard {} at checkpoint {}", workerId, shard.id(), status.getCheckpoint());
        callbacks.submit(shard.id(), "leaseGained", () -> listener.leaseGained(taken.handle))
                .whenCompleteAsync((started, failure) -> {
                    if (failure != null) {
                        log.warn("{} gives shard {} back: the listener could not start it", workerId, shard.id());
                        giveBack(taken);
                    }
                }, workers);
        return true;
    }

    private void claim(Shard shard, String victim) {
        ShardStatus status = new ShardStatus(shard.id());
        status.setLeaseOwner(victim);
        try {
            store.claim(status);
            claims.put(shard.id(), new PendingClaim(shard, victim, clock.nanoTime()));
            log.info("{} claimed shard {} from {} to balance the load", workerId, shard.id(), victim);
        }
        catch (CheckpointException refused) {
            log.debug("Could not claim shard {} from {}: {}", shard.id(), victim, refused.getMessage());
        }
    }

    /** Tries the claimed shards again: each moves as soon as its owner has released it. */
    private void pollClaims() {
        long now = clock.nanoTime();
        for (PendingClaim claim : claims.values()) {
            if (now - claim.sinceNanos() > store.claimTimeout().toNanos()) {
                claims.remove(claim.shard().id(), claim);
            }
            else if (claim.trying().compareAndSet(false, true)) {
                workers.execute(() -> {
                    try {
                        take(claim.shard());
                    }
                    finally {
                        claim.trying().set(false);
                    }
                });
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------ renew

    private void renewAll() {
        try {
            long now = clock.nanoTime();
            for (HeldShard shard : held.values()) {
                if (now - shard.validUntilNanos > 0) {
                    lose(shard, "not renewed within the lease duration");
                }
                else if (shard.ending.get() != EndReason.CLAIMED && shard.renewing.compareAndSet(false, true)) {
                    renewers.execute(() -> renew(shard));
                }
            }
            if (!stopping) {
                pollClaims();
            }
        }
        catch (RuntimeException unexpected) {
            log.warn("Renewal round of {} failed", workerId, unexpected);
        }
    }

    private void renew(HeldShard shard) {
        try {
            long sent = clock.nanoTime();
            long left = shard.validUntilNanos - sent;
            if (left <= 0) {
                lose(shard, "not renewed within the lease duration");
                return;
            }
            store.renew(shard.status, Duration.ofNanos(left));
            if (held.get(shard.shard.id()) == shard) {
                shard.validUntilNanos = sent + leaseNanos;
            }
        }
        catch (ShardClaimedException claimed) {
            log.info("Shard {} was claimed by {}; handing it over", shard.shard.id(), claimed.getClaimant());
            endLease(shard, EndReason.CLAIMED).whenCompleteAsync((done, failure) -> release(shard), workers);
        }
        catch (LeaseNotAcquiredException | LeaseLostException taken) {
            lose(shard, taken.getMessage());
        }
        catch (CheckpointException failure) {
            if (clock.nanoTime() - shard.validUntilNanos >= 0) {
                lose(shard, "not renewed within the lease duration: " + failure.getMessage());
            }
            else {
                log.debug("Renewal of shard {} failed; it stays held until its lease runs out: {}", shard.shard.id(),
                        failure.getMessage());
            }
        }
        finally {
            shard.renewing.set(false);
        }
    }

    // ------------------------------------------------------------------------------------ end, release, lose

    /** Tells the listener the lease is ending; completes when it returns, or after the shutdown grace period. */
    private CompletableFuture<Void> endLease(HeldShard shard, EndReason reason) {
        if (!shard.ending.compareAndSet(null, reason)) {
            return CompletableFuture.completedFuture(null);
        }
        return callbacks.submit(shard.shard.id(), "leaseEnding", () -> listener.leaseEnding(shard.handle, reason))
                .exceptionally(failure -> null)
                .completeOnTimeout(null, settings.shutdownGrace().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Releases the lease; {@code false} when it had ended already, or DynamoDB refused (it expires instead). */
    private boolean release(HeldShard shard) {
        if (!retire(shard)) {
            return false;
        }
        try {
            store.release(shard.shard.id());
            log.debug("{} released shard {}", workerId, shard.shard.id());
            return true;
        }
        catch (CheckpointException failure) {
            log.info("Could not release shard {}; it will expire instead: {}", shard.shard.id(), failure.getMessage());
            return false;
        }
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
        HeldShard shard = held.get(shardId);
        if (shard == null || stopping || shard.ending.get() != null) {
            return CompletableFuture.completedFuture(false);
        }
        log.info("{} hands shard {} over on request", workerId, shardId);
        return endLease(shard, EndReason.REQUESTED).thenApplyAsync(ended -> {
            leaveAlone(shardId);
            return release(shard);
        }, workers);
    }

    /** The listener's {@link OwnedShard#release()}, or a start that failed: release at once, then leave it alone. */
    private void giveBack(HeldShard shard) {
        leaveAlone(shard.shard.id());
        if (release(shard)) {
            log.info("{} gave shard {} back", workerId, shard.shard.id());
        }
    }

    private void giveBack(OwnedShard handle) {
        HeldShard shard = held.get(handle.shardId());
        if (shard != null && shard.handle == handle) {
            shard.writing.lock();   // after a checkpoint under way through this handle
            try {
                giveBack(shard);
            }
            finally {
                shard.writing.unlock();
            }
        }
    }

    private void leaveAlone(String shardId) {
        leftAlone.put(shardId, clock.nanoTime() + settings.syncInterval().toNanos());
    }

    private boolean leftAlone(String shardId) {
        Long until = leftAlone.get(shardId);
        if (until == null) {
            return false;
        }
        if (clock.nanoTime() - until < 0) {
            return true;
        }
        leftAlone.remove(shardId, until);
        return false;
    }

    private void lose(HeldShard shard, String reason) {
        if (!retire(shard)) {
            return;
        }
        log.info("{} lost the lease on shard {}: {}", workerId, shard.shard.id(), reason);
        callbacks.submit(shard.shard.id(), "leaseLost", () -> listener.leaseLost(shard.handle));
    }

    /** Ends the shard's handle: no write through it starts after this. {@code false} when it had ended already. */
    private boolean retire(HeldShard shard) {
        if (!held.remove(shard.shard.id(), shard)) {
            return false;
        }
        shard.handle.markNotHeld();
        retired.put(shard.shard.id(), shard);
        return true;
    }

    /**
     * Waits until a write through this worker's earlier handle of the shard, if one is under way, has ended. Else
     * such a write, begun before the lease was lost, could be sent after this worker takes the lease again, be
     * accepted (the worker is the owner again), and put back a checkpoint older than the new handle's.
     */
    private void awaitWritesOfEarlierHandle(String shardId) {
        HeldShard earlier = retired.remove(shardId);
        if (earlier != null) {
            earlier.writing.lock();
            earlier.writing.unlock();
        }
    }

    /** The listener's checkpoint, through its {@link OwnedShard}. */
    private void checkpoint(OwnedShard handle, String sequenceNumber) {
        HeldShard shard = held.get(handle.shardId());
        if (shard == null || shard.handle != handle) {
            throw notHeld(handle);
        }
        shard.writing.lock();
        try {
            if (held.get(handle.shardId()) != shard || !handle.isHeld()) {
                throw notHeld(handle);   // lost while this write waited for the one before it
            }
            write(shard, sequenceNumber);
        }
        finally {
            shard.writing.unlock();
        }
    }

    private LeaseLostException notHeld(OwnedShard handle) {
        return new LeaseLostException(handle.shardId(), "the lease on shard " + handle.shardId()
                + " is no longer held by " + workerId);
    }

    private void write(HeldShard shard, String sequenceNumber) {
        ShardStatus write = new ShardStatus(shard.shard.id());
        write.setCheckpoint(sequenceNumber);
        try {
            store.checkpoint(write);
        }
        catch (LeaseLostException lost) {
            lose(shard, lost.getMessage());
            throw lost;
        }
        if (CheckpointConstants.SHARD_END.equals(sequenceNumber)) {
            log.info("Shard {} is finished; releasing it so that its children can start", shard.shard.id());
            release(shard);
            if (!stopping) {
                syncThread.execute(() -> scheduleSync(Duration.ZERO));
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- threads

    /**
     * Waits for {@code future}, but only while not stopping: a stop shuts the pools down, and a task it drops never
     * completes its future. {@code null} when stopping came first.
     */
    private <T> T awaitUnlessStopping(CompletableFuture<T> future) {
        while (!stopping) {
            try {
                return future.get(50, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException notYet) {
                // look at stopping again
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return null;
            }
            catch (java.util.concurrent.ExecutionException failed) {
                log.debug("A task of {}'s sync failed: {}", workerId, failed.getCause().toString());
                return null;
            }
        }
        return null;
    }

    /** On stop: lets the sync thread end and the takes under way finish, so that what they took is released too. */
    private void awaitSyncAndTakes(long deadlineNanos) {
        try {
            syncThread.awaitTermination(Math.max(0, deadlineNanos - clock.nanoTime()), TimeUnit.NANOSECONDS);
            while (!taking.isEmpty() && clock.nanoTime() - deadlineNanos < 0) {
                Thread.sleep(10);
            }
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (!syncThread.isTerminated() || !taking.isEmpty()) {
            log.warn("Lease coordinator {}: the sync did not end in time; stopping anyway", workerId);
        }
    }

    private void awaitUntil(CompletableFuture<Void> all, long deadlineNanos) {
        try {
            all.get(Math.max(0, deadlineNanos - clock.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException late) {
            log.warn("Lease coordinator {}: the grace period ran out before every listener finished", workerId);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        catch (java.util.concurrent.ExecutionException unexpected) {
            log.warn("Lease coordinator {}: stopping failed", workerId, unexpected.getCause());
        }
    }

    private void shutdownThreads() {
        renewers.shutdownNow();
        workers.shutdownNow();
        callbacks.shutdown();
        running = false;
    }

    /** A lease this worker holds. */
    private static final class HeldShard {

        final Shard shard;
        final ShardStatus status;
        final OwnedShard handle;
        final AtomicBoolean renewing = new AtomicBoolean();
        /** Why the lease is ending, or {@code null}; a shard ending for a claim is no longer renewed. */
        final AtomicReference<EndReason> ending = new AtomicReference<>();
        volatile long validUntilNanos;
        /** Held while a checkpoint is written through this handle. */
        final java.util.concurrent.locks.ReentrantLock writing = new java.util.concurrent.locks.ReentrantLock();

        HeldShard(Shard shard, ShardStatus status, long validUntilNanos,
                java.util.function.BiConsumer<OwnedShard, String> writer,
                java.util.function.Consumer<OwnedShard> releaser, MonotonicClock clock) {
            this.shard = shard;
            this.status = status;
            this.validUntilNanos = validUntilNanos;
            this.handle = new OwnedShard(shard.id(), shard.parentIds(), status.getCheckpoint(), writer, releaser,
                    () -> clock.nanoTime() - this.validUntilNanos < 0);
        }
    }

    /** A claim this worker placed and has not yet turned into a lease. */
    private record PendingClaim(Shard shard, String victim, long sinceNanos, AtomicBoolean trying) {

        PendingClaim(Shard shard, String victim, long sinceNanos) {
            this(shard, victim, sinceNanos, new AtomicBoolean());
        }
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

        /** Picks which free shards to take first and which shards to claim; seeded in tests. */
        Builder random(Random random) {
            this.random = random;
            return this;
        }

        CoordinatorSettings settings() {
            Duration lease = leaseStore.leaseDuration();
            return new CoordinatorSettings(renewInterval != null ? renewInterval : lease.dividedBy(3), syncInterval,
                    maxLeasesForWorker, maxLeasesToStealAtOneTime, shutdownGrace);
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or out of range */
        public LeaseCoordinator build() {
            if (leaseStore == null || shardSource == null || listener == null) {
                throw new IllegalArgumentException("leaseStore (or checkpointer), shardSource and listener are required");
            }
            settings().validate(leaseStore.leaseDuration());
            return new LeaseCoordinator(this);
        }
    }
}
