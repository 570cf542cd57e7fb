package dev.checkpoint.coordinator;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongUnaryOperator;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking leases and claiming them: each take gives the shard to the listener ({@code leaseGained}; a start that
 * fails gives it back), and each claim is tried again every renewal round, so that a claimed shard moves as soon as
 * its owner has released it.
 */
final class Takes {

    private static final Logger log = LoggerFactory.getLogger(Takes.class);

    private final LeaseStore store;
    private final HeldLeases leases;
    private final LeaseEndings endings;
    private final LeaseDeadlines deadlines;
    private final HandleWrites handles;
    private final LeaseListener listener;
    private final CoordinatorRun run;
    private final MonotonicClock clock;
    private final ConcurrentMap<String, PendingClaim> claims = new ConcurrentHashMap<>();
    /** The shards as the last sync listed them, with their parents: what a take that no sync started is of. */
    private volatile Map<String, Shard> lastListed = Map.of();
    /** Until when a lease taken with a request sent at the given time is valid. */
    private final LongUnaryOperator validUntil;

    /** A claim this worker placed and has not yet turned into a lease. */
    private record PendingClaim(Shard shard, String victim, long sinceNanos, AtomicBoolean trying) {
    }

    Takes(LeaseStore store, HeldLeases leases, LeaseEndings endings, LeaseDeadlines deadlines, HandleWrites handles,
            LeaseListener listener, CoordinatorRun run,
            LongUnaryOperator validUntil) {
        this.validUntil = validUntil;
        this.store = store;
        this.leases = leases;
        this.endings = endings;
        this.deadlines = deadlines;
        this.handles = handles;
        this.listener = listener;
        this.run = run;
        this.clock = store.monotonicClock();
    }

    /**
     * Takes the lease and gives the shard to the listener; {@code false} when another worker won it, or when this
     * worker holds it, is taking it already (a sync and a pending claim may both try the same shard), or leaves it
     * alone for now.
     */
    boolean take(Shard shard) {
        if (run.isStopping() || !leases.startTaking(shard.id())) {
            return false;
        }
        try {
            return takeNow(shard);
        }
        finally {
            leases.endTaking(shard.id());
        }
    }

    private boolean takeNow(Shard shard) {
        leases.awaitWritesOfEarlierHandle(shard.id());
        long sent = clock.nanoTime();
        if (validUntil.applyAsLong(sent) - sent <= 0) {
            return false;   // in worker mode, with no heartbeat alive: nothing taken would be valid
        }
        Lease row;
        try {
            row = store.take(shard.id(), shard.parentShardId());
        }
        catch (CheckpointException refused) {
            log.debug("Did not take shard {}: {}", shard.id(), refused.getMessage());
            return false;
        }
        claims.remove(shard.id());
        if (row.isFinished()) {
            // Read to its end while this take was on its way: a claim or a hand-over the owner finished first, or a
            // sync that read the row before. Nothing is left to read: given straight back, never to the listener.
            log.info("{} found shard {} finished as it took it; giving it back", store.workerId(), shard.id());
            releaseFinished(shard.id());
            return false;
        }
        HeldLease taken = new HeldLease(shard, row, sent, validUntil.applyAsLong(sent), deadlines.marginNanos(),
                handles::checkpoint, handles::giveBack, clock);
        if (taken.deadlineNanos() - clock.nanoTime() <= 0) {
            // The answer came after the deadline it would have had (a long pause): nothing taken may be processed. The
            // row names this worker; a sync takes it again, or it expires for the others.
            log.info("{} took shard {} too late to hold it; leaving it for now", store.workerId(), shard.id());
            return false;
        }
        leases.add(taken);
        if (validUntil.applyAsLong(sent) - sent <= 0) {
            // Worker mode: the registration lapsed while the take was on its way (after the check above, which a
            // lapse that ends every lease held may not have seen); its row names the gone epoch, free to the others.
            log.info("{} lost its registration while taking shard {}; leaving it", store.workerId(), shard.id());
            leases.retire(taken);
            return false;
        }
        if (run.isStopping()) {
            endings.release(taken); // taken while stopping began: give it straight back
            return false;
        }
        log.debug("{} took shard {} at checkpoint {}", store.workerId(), shard.id(), row.checkpoint());
        CoordinatorThreads pools = run.threads();
        pools.callbacks.submit(shard.id(), "leaseGained", () -> listener.leaseGained(taken.handle))
                .whenCompleteAsync((started, failure) -> {
                    if (failure != null) {
                        log.warn("{} gives shard {} back: the listener could not start it", store.workerId(), shard.id());
                        endings.giveBack(taken);
                    }
                }, pools.workers);
        deadlines.watch(taken);   // after leaseGained is queued: the listener hears leaseLost after it, never before
        return true;
    }

    private void releaseFinished(String shardId) {
        try {
            store.release(shardId);
        }
        catch (CheckpointException failure) {
            log.debug("Finished shard {} not given back ({}); its lease runs out instead", shardId, failure.getMessage());
        }
    }

    /** Asks {@code victim} to hand the shard over. */
    void claim(Shard shard, String victim) {
        try {
            store.claim(shard.id(), victim);
            claims.put(shard.id(), new PendingClaim(shard, victim, clock.nanoTime(), new AtomicBoolean()));
            log.info("{} claimed shard {} from {} to balance the load", store.workerId(), shard.id(), victim);
        }
        catch (CheckpointException refused) {
            log.debug("Could not claim shard {} from {}: {}", shard.id(), victim, refused.getMessage());
        }
    }

    /** Tries the claimed shards again: each moves as soon as its owner has released it. */
    void pollClaims() {
        long now = clock.nanoTime();
        for (PendingClaim claim : claims.values()) {
            if (now - claim.sinceNanos() > store.claimTimeout().toNanos()) {
                claims.remove(claim.shard().id(), claim);
            }
            else if (claim.trying().compareAndSet(false, true)) {
                run.threads().workers.execute(() -> {
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

    /**
     * Takes back every claim still pending, on stopping: a claim must not outlive its claimant, or the owner would hand
     * the shard to nobody and it would stay unread until the claim timed out.
     */
    void withdrawClaims() {
        for (PendingClaim claim : claims.values()) {
            try {
                store.withdrawClaim(claim.shard().id(), claim.victim());
                log.debug("{} withdrew its claim on shard {}", store.workerId(), claim.shard().id());
            }
            catch (CheckpointException failure) {
                log.info("{} could not withdraw its claim on shard {}; it times out instead: {}", store.workerId(),
                        claim.shard().id(), failure.getMessage());
            }
        }
        claims.clear();
    }

    /** The shards a sync listed, with their parents. */
    void listed(Map<String, Shard> shards) {
        lastListed = Map.copyOf(shards);
    }

    /**
     * The shard as the last sync listed it, with its parents, or {@code null} when no sync has listed it: a take that
     * no sync started (a hand-over) must know the parents, or a reset of the shard would not wait for them.
     */
    @Nullable Shard listedShard(String shardId) {
        return lastListed.get(shardId);
    }

    /** Forgets the claims whose row is gone or already this worker's, as the table now says. */
    void forgetSettledClaims(Map<String, Lease> rows) {
        claims.keySet().removeIf(shardId -> !rows.containsKey(shardId) || rows.get(shardId).isOwnedBy(store.workerId()));
    }

    /** The shards this worker has claims pending on. */
    Set<String> claimedShards() {
        return new TreeSet<>(claims.keySet());
    }

    int pendingClaims() {
        return claims.size();
    }

    /** The workers this worker has a claim pending on: one batch per victim at a time. */
    Set<String> victims() {
        Set<String> victims = new TreeSet<>();
        claims.values().forEach(claim -> victims.add(claim.victim()));
        return victims;
    }
}
