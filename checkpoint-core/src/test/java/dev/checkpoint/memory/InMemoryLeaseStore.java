package dev.checkpoint.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.CheckpointerStatus;
import dev.checkpoint.KeepAlive;
import dev.checkpoint.ImportedCheckpoint;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.PendingReset;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardResetException;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.ShardStatus;

/**
 * One worker's {@link LeaseStore} on an {@link InMemoryLeaseTable}, for fast, deterministic tests of what is built on
 * the contract (the coordinator): the same conditions as the DynamoDB store, and expiry judged the same way, by this
 * worker's own observation on its own {@link MonotonicClock}. Held to the same contract tests as the DynamoDB store.
 * Of the table's failures it models one: a worker {@link #cutOff() cut off} from it. In either renewal mode
 * ({@link InMemoryOwnership}); in worker mode, the table's heartbeat rows are the workers' own.
 */
public final class InMemoryLeaseStore implements LeaseStore {

    private final InMemoryLeaseTable table;
    private final String workerId;
    private final Duration leaseDuration;
    private final Duration claimTimeout;
    private final boolean leaseStealing;
    private final MonotonicClock clock;
    private final Clock wallClock;
    private final Map<String, SeenRow> seen = new ConcurrentHashMap<>();
    /** The order of this worker's reads. */
    private final AtomicLong reads = new AtomicLong();
    private final InMemoryOwnership ownership;
    private final Map<CheckpointOperation, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile boolean cutOff;
    private volatile long lastScanNanos = Long.MIN_VALUE;
    private volatile long lastRenewalNanos = Long.MIN_VALUE;

    /** A worker in per-lease renewal mode. */
    public InMemoryLeaseStore(InMemoryLeaseTable table, String workerId, Duration leaseDuration, boolean leaseStealing,
            MonotonicClock clock) {
        this(table, workerId, leaseDuration, leaseStealing, clock, RenewalMode.LEASE);
    }

    public InMemoryLeaseStore(InMemoryLeaseTable table, String workerId, Duration leaseDuration, boolean leaseStealing,
            MonotonicClock clock, RenewalMode mode) {
        this.table = table;
        this.workerId = workerId;
        this.leaseDuration = leaseDuration;
        this.claimTimeout = leaseDuration.multipliedBy(3);
        this.leaseStealing = leaseStealing;
        this.clock = clock;
        this.wallClock = Clock.systemUTC();
        this.ownership = switch (mode) {
            case LEASE -> new InMemoryRenewals(table, leaseDuration, wallClock, this::renew);
            case WORKER -> new InMemoryHeartbeats(table, workerId, leaseDuration, clock, reads::incrementAndGet,
                    operation -> {
                        failIfCutOff();
                        count(operation);
                    });
        };
    }

    /**
     * From now on every request fails as a client cut off from DynamoDB fails: with a {@link CheckpointStoreException},
     * nothing written. The only failure this store models, for tests of what the coordinator does when it cannot reach
     * the table.
     */
    public void cutOff() {
        cutOff = true;
    }

    private void failIfCutOff() {
        if (cutOff) {
            throw new CheckpointStoreException(null, "in-memory table: " + workerId + " is cut off", null);
        }
    }

    /** How many times the operation was called on this store, whatever its outcome. */
    public int calls(CheckpointOperation operation) {
        AtomicInteger count = calls.get(operation);
        return count == null ? 0 : count.get();
    }

    private void count(CheckpointOperation operation) {
        calls.computeIfAbsent(operation, op -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public String tableName() {
        return "in-memory";
    }

    @Override
    public String workerId() {
        return workerId;
    }

    @Override
    public Duration leaseDuration() {
        return leaseDuration;
    }

    @Override
    public Duration claimTimeout() {
        return claimTimeout;
    }

    @Override
    public boolean isLeaseStealing() {
        return leaseStealing;
    }

    @Override
    public MonotonicClock monotonicClock() {
        return clock;
    }

    @Override
    public List<Lease> scan() {
        failIfCutOff();
        count(CheckpointOperation.SCAN_LEASES);
        List<Lease> rows = table.scan();
        rows.forEach(this::observe);
        ownership.scanned();
        lastScanNanos = clock.nanoTime();
        return rows;
    }

    @Override
    public Lease find(String shardId) {
        failIfCutOff();
        Lease row = table.get(shardId);
        if (row != null) {
            observe(row);
        }
        return row;
    }

    @Override
    public CheckpointerStatus status() {
        long now = clock.nanoTime();
        Set<String> held = new TreeSet<>();
        seen.values().forEach(view -> {
            if (view.lease().isOwnedBy(workerId) && !ownership.isExpired(view, now)) {
                held.add(view.lease().shardId());
            }
        });
        return new CheckpointerStatus(tableName(), workerId, held, age(lastScanNanos, now), age(lastRenewalNanos, now), null);
    }

    @Override
    public String tableStatus() {
        return "ACTIVE";
    }

    @Override
    public Duration unchangedFor(String shardId) {
        SeenRow view = seen.get(shardId);
        return view == null ? null : ownership.unchangedFor(view, clock.nanoTime());
    }

    @Override
    public boolean isExpired(String shardId) {
        SeenRow view = seen.get(shardId);
        return view != null && ownership.isExpired(view, clock.nanoTime());
    }

    @Override
    public void createIfMissing(String shardId, String parentShardId) {
        failIfCutOff();
        ShardStatus.requireShardId(shardId, "shardId");
        table.putIfAbsent(new Lease(shardId, null, null, 0, null, parentShardId, null));
    }

    @Override
    public synchronized Lease take(String shardId, String parentShardId) {
        failIfCutOff();
        count(CheckpointOperation.TAKE_LEASE);
        ShardStatus.requireShardId(shardId, "shardId");
        SeenRow view = seen.get(shardId);
        if (view != null && refusal(view) != null) {
            view = observeRow(shardId);   // judged on an old view: look again before refusing
            RuntimeException refused = view == null ? null : refusal(view);
            if (refused != null) {
                throw refused;
            }
        }
        SeenRow asSeen = view;
        ownership.beforeTake(shardId, asSeen);
        Lease before = asSeen == null ? null : asSeen.lease();
        Instant timeout = ownership.takeTimeout();
        String epoch = ownership.takeEpoch();
        boolean claimExpired = asSeen != null && claimExpired(asSeen, clock.nanoTime());
        boolean taken = table.update(shardId,
                row -> (before == null ? row == null || row.owner() == null : sameVersion(row, before))
                        && (!leaseStealing || row == null || row.claimRequest() == null || workerId.equals(row.claimRequest())
                                || (claimExpired && row.claimRequest().equals(before.claimRequest())))
                        && (before == null || before.pendingReset() == null || row.pendingReset() != null
                                && row.pendingReset().id().equals(before.pendingReset().id())),
                row -> {
                    PendingReset applied = before == null ? null : before.pendingReset();
                    return new Lease(shardId, workerId, timeout, (row == null ? 0 : row.leaseCounter()) + 1,
                            row == null || applied != null ? null : row.checkpoint(),
                            parentShardId != null ? parentShardId : row == null ? null : row.parentShardId(),
                            leaseStealing || before == null || !before.isOwnedBy(workerId) ? null : row.claimRequest(),
                            row == null || applied != null ? null : row.checkpointSubSequenceNumber(),
                            applied != null || row == null ? null : row.pendingReset(),
                            applied != null ? applied.to() : row == null ? null : row.startingPosition(), epoch);
                });
        if (!taken) {
            SeenRow now = observeRow(shardId);
            RuntimeException refused = now == null ? null : refusal(now);
            boolean resetMoved = now != null && !Objects.equals(resetId(before), resetId(now.lease()));
            if (refused == null && now != null && (before == null || resetMoved)) {
                return take(shardId, parentShardId);   // not free after all, but may be taken as now seen; or a reset moved
            }
            throw refused != null ? refused : new LeaseNotAcquiredException(shardId, "could not take shard " + shardId
                    + ": " + (now == null ? "the row was deleted" : "it is now held by " + now.lease().owner()));
        }
        Lease row = table.get(shardId);
        ownWrite(row);
        ownership.taken(shardId);
        if (row.pendingReset() != null) {
            return take(shardId, parentShardId);   // a reset written since the row was seen: a take never leaves one standing
        }
        return row;
    }

    private static String resetId(Lease lease) {
        return lease == null || lease.pendingReset() == null ? null : lease.pendingReset().id();
    }

    @Override
    public KeepAlive keepAlive() {
        return ownership.keepAlive();
    }

    @Override
    public List<Lease> scanForSync() {
        return scan();
    }

    /** Per lease: nothing to check, an in-memory table having no mode row; in worker mode, a new epoch. */
    @Override
    public void register() {
        ownership.register();
    }

    /** Per-lease mode's renewal: see {@link KeepAlive.ByRenewal#renew}. */
    synchronized Set<String> renew(String shardId, Duration timeLeft) {
        failIfCutOff();
        count(CheckpointOperation.RENEW_LEASE);
        long deadline = clock.nanoTime() + timeLeft.toNanos();
        SeenRow view = seen.get(shardId);
        if (view == null || !view.lease().isOwnedBy(workerId)) {
            throw new LeaseNotAcquiredException(shardId, workerId + " cannot renew shard " + shardId + ": not its own as last seen");
        }
        if (clock.nanoTime() - deadline >= 0) {
            throw new CheckpointStoreException(shardId, "renewal of shard " + shardId + " was not done before its deadline", null);
        }
        if (renewalRefusal(view) != null) {
            view = observeRow(shardId);
            RuntimeException refused = view == null ? null : renewalRefusal(view);
            if (refused != null) {
                throw refused;
            }
        }
        Lease before = seen.get(shardId).lease();
        boolean claimExpired = claimExpired(seen.get(shardId), clock.nanoTime());
        boolean renewed = table.update(shardId,
                row -> row != null && workerId.equals(row.owner()) && row.leaseCounter() == before.leaseCounter()
                        && (!leaseStealing || row.claimRequest() == null || workerId.equals(row.claimRequest())
                                || (claimExpired && row.claimRequest().equals(before.claimRequest())))
                        && row.pendingReset() == null,
                row -> new Lease(shardId, workerId, timeout(), row.leaseCounter() + 1, row.checkpoint(),
                        row.parentShardId(), leaseStealing ? null : row.claimRequest(), row.checkpointSubSequenceNumber(), null,
                        row.startingPosition()));
        if (!renewed) {
            SeenRow now = observeRow(shardId);
            RuntimeException refused = now == null ? null : renewalRefusal(now);
            if (refused instanceof ShardClaimedException || refused instanceof ShardResetException) {
                throw refused;
            }
            throw new LeaseNotAcquiredException(shardId, "could not renew shard " + shardId + ": it is no longer "
                    + workerId + "'s");
        }
        ownWrite(table.get(shardId));
        return table.takeHandOvers(shardId);
    }

    @Override
    public void handOver(String shardId, String successor, String successorsLease) {
        failIfCutOff();
        count(CheckpointOperation.RELEASE_LEASE);
        ownership.handOver(shardId, successor, successorsLease);
    }

    /** No request here takes any time: {@code timeLeft} is never reached. */
    @Override
    public synchronized void checkpoint(String shardId, String checkpoint, Long subSequence, Duration timeLeft) {
        failIfCutOff();
        count(CheckpointOperation.CHECKPOINT);
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException("shard " + shardId + " has no checkpoint to write");
        }
        SeenRow view = seen.get(shardId);
        if (view == null || !view.lease().isOwnedBy(workerId)) {
            throw new LeaseLostException(shardId, workerId + " does not hold the lease on shard " + shardId);
        }
        Lease held = view.lease();
        if (held.pendingReset() != null) {
            throw new ShardResetException(shardId, held.pendingReset());
        }
        // As the DynamoDB store: the sub-sequence number is written, removed and conditioned on only where one is involved.
        boolean subSequenceInvolved = subSequence != null || held.checkpointSubSequenceNumber() != null;
        boolean written = table.update(shardId,
                row -> row != null && workerId.equals(row.owner()) && row.leaseCounter() == held.leaseCounter()
                        && Objects.equals(row.checkpoint(), held.checkpoint())
                        && (!subSequenceInvolved || Objects.equals(row.checkpointSubSequenceNumber(), held.checkpointSubSequenceNumber()))
                        && row.pendingReset() == null,
                row -> new Lease(shardId, row.owner(), row.leaseTimeout(), row.leaseCounter(), checkpoint,
                        row.parentShardId(), row.claimRequest(),
                        subSequenceInvolved ? subSequence : row.checkpointSubSequenceNumber(), null, null, row.ownerEpoch()));
        if (!written) {
            SeenRow now = observeRow(shardId);
            if (now != null && now.lease().pendingReset() != null && now.lease().isOwnedBy(workerId)) {
                throw new ShardResetException(shardId, now.lease().pendingReset());
            }
            throw new LeaseLostException(shardId, workerId + " no longer holds the lease on shard " + shardId);
        }
        seen.computeIfPresent(shardId, (id, old) -> new SeenRow(table.get(shardId), old.sinceNanos(), old.claimSinceNanos(),
                old.sinceRead()));
    }

    @Override
    public synchronized void release(String shardId) {
        failIfCutOff();
        count(CheckpointOperation.RELEASE_LEASE);
        String claimant = ownership.handOffTo(shardId);
        SeenRow view = seen.get(shardId);
        Lease known = view != null && view.lease().isOwnedBy(workerId) ? view.lease() : null;
        ownership.checkRelease(shardId, view, known != null);
        boolean released = table.update(shardId,
                row -> row != null && workerId.equals(row.owner()) && (known == null || row.leaseCounter() == known.leaseCounter()),
                row -> new Lease(shardId, null, null, row.leaseCounter() + 1, row.checkpoint(), row.parentShardId(),
                        claimant != null ? claimant : row.claimRequest(), row.checkpointSubSequenceNumber(),
                        row.pendingReset(), row.startingPosition()));
        if (!released) {
            observeRow(shardId);
            throw new LeaseLostException(shardId, workerId + " does not hold the lease on shard " + shardId);
        }
        observe(table.get(shardId));
    }

    @Override
    public synchronized void claim(String shardId, String expectedOwner) {
        failIfCutOff();
        count(CheckpointOperation.CLAIM_SHARD);
        SeenRow view = seen.get(shardId);
        if (ownership.claimFromOwner(view, expectedOwner, workerId)) {
            return;
        }
        boolean overExpired = view != null && view.lease().hasClaim() && claimExpired(view, clock.nanoTime());
        boolean claimed = table.update(shardId,
                row -> row != null && (row.claimRequest() == null
                        || (overExpired && row.claimRequest().equals(view.lease().claimRequest())
                                && row.leaseCounter() == view.lease().leaseCounter()))
                        && Objects.equals(row.owner(), expectedOwner),
                row -> new Lease(shardId, row.owner(), row.leaseTimeout(), row.leaseCounter(), row.checkpoint(),
                        row.parentShardId(), workerId, row.checkpointSubSequenceNumber(), row.pendingReset(),
                        row.startingPosition(), row.ownerEpoch()));
        SeenRow now = observeRow(shardId);
        if (!claimed) {
            if (now != null && now.lease().hasClaim()) {
                throw new ShardClaimedException(shardId, now.lease().claimRequest());
            }
            throw new LeaseNotAcquiredException(shardId, "cannot claim shard " + shardId + ": expected owner " + expectedOwner);
        }
    }

    @Override
    public synchronized void withdrawClaim(String shardId, String owner) {
        failIfCutOff();
        count(CheckpointOperation.CLAIM_SHARD);
        ownership.withdrawClaimFromOwner(shardId, owner, workerId);
        table.update(shardId, row -> row != null && workerId.equals(row.claimRequest()),
                row -> new Lease(shardId, row.owner(), row.leaseTimeout(), row.leaseCounter(), row.checkpoint(),
                        row.parentShardId(), null, row.checkpointSubSequenceNumber(), row.pendingReset(),
                        row.startingPosition(), row.ownerEpoch()));
        observeRow(shardId);
    }

    @Override
    public synchronized ResetReceipt requestReset(String shardId, StartingPosition to, String requestedBy) {
        failIfCutOff();
        count(CheckpointOperation.RESET_SHARD);
        PendingReset reset = new PendingReset(UUID.randomUUID().toString(), to, requestedBy, wallClock.instant());
        Lease before = table.get(shardId);
        boolean written = table.update(shardId, row -> row != null,
                row -> new Lease(shardId, row.owner(), row.leaseTimeout(), row.leaseCounter(), row.checkpoint(),
                        row.parentShardId(), row.claimRequest(), row.checkpointSubSequenceNumber(), reset,
                        row.startingPosition(), row.ownerEpoch()));
        if (!written) {
            return null;
        }
        ownership.resetWritten(table.get(shardId), reset);
        return ResetReceipt.of(reset, before);
    }

    @Override
    public synchronized boolean importCheckpoint(ImportedCheckpoint imported, Lease replacing) {
        failIfCutOff();
        count(CheckpointOperation.IMPORT_CHECKPOINT);
        String shardId = imported.shardId();
        Predicate<Lease> unchanged = replacing == null
                ? row -> row == null || row.leaseCounter() == 0 && row.checkpoint() == null && row.startingPosition() == null
                : row -> row != null && row.leaseCounter() == replacing.leaseCounter()
                        && Objects.equals(row.owner(), replacing.owner());
        if (!unchanged.test(table.get(shardId))) {
            return false;
        }
        Lease before = table.get(shardId);
        table.put(new Lease(shardId, null, null, before == null ? 0 : before.leaseCounter() + (replacing != null && before.leaseCounter() > 0 ? 1 : 0),
                imported.checkpoint(), imported.parentShardId() != null ? imported.parentShardId()
                        : before == null ? null : before.parentShardId(),
                null, imported.subSequenceNumber(), null, imported.startingPosition()));
        seen.remove(shardId);
        return true;
    }

    /** One group per in-memory table: nothing to bind. */
    @Override
    public void bindStream(String identity) {
    }

    @Override
    public void remove(String shardId) {
        failIfCutOff();
        table.delete(shardId);
        seen.remove(shardId);
    }

    // ------------------------------------------------------------------------------------------------------ views

    private SeenRow observeRow(String shardId) {
        Lease row = table.get(shardId);
        if (row == null) {
            seen.remove(shardId);
            return null;
        }
        return observe(row);
    }

    /** Records {@code row} as seen now: the time since it was first seen in this version is kept. */
    private SeenRow observe(Lease row) {
        long now = clock.nanoTime();
        long read = reads.incrementAndGet();
        return seen.compute(row.shardId(), (id, old) -> {
            boolean same = old != null && sameVersion(row, old.lease());
            long claimSince = old != null && Objects.equals(old.lease().claimRequest(), row.claimRequest()) ? old.claimSinceNanos() : now;
            return new SeenRow(row, same ? old.sinceNanos() : now, claimSince, same ? old.sinceRead() : read);
        });
    }

    /** This worker's own write: the row as written, seen from the moment of writing. */
    private void ownWrite(Lease row) {
        long now = clock.nanoTime();
        seen.put(row.shardId(), new SeenRow(row, now, now, reads.incrementAndGet()));
        lastRenewalNanos = now;
    }

    private RuntimeException refusal(SeenRow view) {
        Lease lease = view.lease();
        long now = clock.nanoTime();
        if (leaseStealing && lease.hasClaim() && !workerId.equals(lease.claimRequest()) && !claimExpired(view, now)) {
            return new ShardClaimedException(lease.shardId(), lease.claimRequest());
        }
        if (lease.isOwned() && !lease.isOwnedBy(workerId) && !ownership.isExpired(view, now)) {
            return new LeaseNotAcquiredException(lease.shardId(), "lease on shard " + lease.shardId() + " is held by "
                    + lease.owner() + " and has not expired");
        }
        return null;
    }

    private RuntimeException renewalRefusal(SeenRow view) {
        PendingReset reset = view.lease().pendingReset();
        return reset != null ? new ShardResetException(view.lease().shardId(), reset) : refusal(view);
    }

    private boolean claimExpired(SeenRow view, long now) {
        return now - view.claimSinceNanos() > claimTimeout.toNanos()
                || !view.lease().isOwned() && now - view.sinceNanos() > leaseDuration.toNanos();
    }

    private static boolean sameVersion(Lease row, Lease seen) {
        return row != null && Objects.equals(row.owner(), seen.owner()) && row.leaseCounter() == seen.leaseCounter()
                && Objects.equals(row.leaseTimeout(), seen.leaseTimeout());
    }

    /** The renewal's new {@code LeaseTimeout}. */
    private Instant timeout() {
        return wallClock.instant().plus(leaseDuration);
    }

    private static Duration age(long sinceNanos, long now) {
        return sinceNanos == Long.MIN_VALUE ? null : Duration.ofNanos(now - sinceNanos);
    }
}
