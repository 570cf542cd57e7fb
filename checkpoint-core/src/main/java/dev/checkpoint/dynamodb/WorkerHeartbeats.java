package dev.checkpoint.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.Heartbeat;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.WorkerLostException;
import dev.checkpoint.dynamodb.HeartbeatRows.Row;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Worker renewal mode: this worker's heartbeat, and its judgement of the others' ({@link HeartbeatRows} has the
 * writes).
 *
 * <ul>
 * <li><b>Own heartbeat.</b> Each process start registers under a new epoch; each heartbeat is one write conditioned on
 * that epoch, and every lease of this worker is valid until a lease duration after the sending of its last successful
 * heartbeat. A refused heartbeat means another process took the id, or another worker judged this one dead: every
 * lease is lost.</li>
 * <li><b>Others.</b> A lease names its owner and the owner's epoch. Its owner is gone when its heartbeat row carries
 * another epoch (a restart, or judged dead), as read after the lease was seen; or when its heartbeat has stood still
 * for a lease duration on this worker's monotonic clock. In the second case the worker is first marked dead with a
 * write conditioned on the heartbeat seen (one per dead worker), so that no heartbeat of it can land after: that is
 * what makes the lease's own conditional take safe, as a renewal's counter does in per-lease mode.</li>
 * </ul>
 */
final class WorkerHeartbeats implements LeaseObservations.OwnerLiveness {

    private static final Logger log = LoggerFactory.getLogger(WorkerHeartbeats.class);
    private static final long NEVER = Long.MIN_VALUE;

    private enum Judgement { ALIVE, SILENT, GONE }

    /** One write of this process's heartbeat row at a time; a lock, so that a virtual thread waiting does not pin. */
    private final ReentrantLock rowWrites = new ReentrantLock();
    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final String tableName;
    private final LeaseKeys keys;
    private final String workerId;
    private final long leaseNanos;
    private final Clock clock;
    private final LeaseObservations observations;
    /** What this worker has seen of every worker's heartbeat row. */
    private final HeartbeatViews views;
    /** Shards claimed from this worker, with the claimant, until released to it. */
    private final ConcurrentMap<String, String> handOffs = new ConcurrentHashMap<>();
    private final Set<String> handledClaims = new HashSet<>();
    private final Set<String> handledResets = new HashSet<>();
    private final Set<String> handledHandOvers = new HashSet<>();
    /** One judgement of a dead worker at a time: a dead worker is marked once, however many of its leases are taken. */
    private final Object expiring = new Object();
    private volatile @Nullable String epoch;
    private volatile long lastBeatSentNanos = NEVER;
    /** How many changes of leases this worker has made: written by each heartbeat. */
    private final AtomicLong leaseChanges = new AtomicLong();

    WorkerHeartbeats(TableClient table, String workerId, Duration leaseDuration, LeaseObservations observations) {
        this.client = table.client;
        this.calls = table.calls;
        this.tableName = table.tableName;
        this.keys = table.keys;
        this.workerId = workerId;
        this.leaseNanos = leaseDuration.toNanos();
        this.clock = table.clock;
        this.observations = observations;
        this.views = new HeartbeatViews(table, workerId, leaseDuration, observations);
    }

    /** This process's epoch, once registered. */
    @Nullable String epoch() {
        return epoch;
    }

    /**
     * Marks the table as in worker mode (the first time), and registers this process under a new epoch. Leases naming
     * this worker under an older epoch are from then on gone owners' leases, which this worker takes back at once.
     */
    void register() {
        rowWrites.lock();
        try {
            calls.execute(CheckpointOperation.REGISTER_WORKER, null, () -> client.updateItem(
                    HeartbeatRows.markWorkerMode(tableName, keys.of(HeartbeatRows.MODE_ROW))
                            .overrideConfiguration(calls.requestOverrides()).build()));
            String newEpoch = UUID.randomUUID().toString();
            long sentAt = observations.now();
            calls.execute(CheckpointOperation.REGISTER_WORKER, null, () -> client.putItem(
                    HeartbeatRows.register(tableName, ownKey(), newEpoch, clock.instant())
                            .overrideConfiguration(calls.requestOverrides()).build()));
            epoch = newEpoch;
            lastBeatSentNanos = sentAt;
            handledClaims.clear();
            handledResets.clear();
            handledHandOvers.clear();
            handOffs.clear();
            log.info("Worker {} registered in lease table {} under epoch {}", workerId, tableName, newEpoch);
        }
        finally {
            rowWrites.unlock();
        }
    }

    /**
     * One heartbeat, given up at {@code deadlineNanos}: keeps every lease of this worker alive, and brings back its
     * mailboxes.
     *
     * @throws WorkerLostException when the row no longer carries this process's epoch
     */
    Heartbeat beat(long deadlineNanos) {
        rowWrites.lock();
        try {
            String own = requireRegistered();
            Set<String> claimsDone = Set.copyOf(handledClaims);
            Set<String> resetsDone = Set.copyOf(handledResets);
            Set<String> handOversDone = Set.copyOf(handledHandOvers);
            long sentAt = observations.now();
            Map<String, AttributeValue> item;
            try {
                item = calls.executeBefore(deadlineNanos, CheckpointOperation.HEARTBEAT, null,
                        overrides -> client.updateItem(HeartbeatRows.beat(tableName, ownKey(), own, clock.instant(),
                                leaseChanges.get(), claimsDone, resetsDone, handOversDone)
                                .overrideConfiguration(overrides).build()))
                        .attributes();
            }
            catch (ConditionalCheckFailedException refused) {
                epoch = null;   // nothing more is taken or written under it, whatever the read below says
                Row now = readRow(workerId);
                throw new WorkerLostException("the heartbeat of " + workerId + " was refused: " + (now == null
                        ? "its row was deleted" : now.epoch().startsWith(HeartbeatRows.EXPIRED_EPOCH_PREFIX)
                                ? "another worker judged it dead after its heartbeat stood still for a lease duration"
                                : "another process registered under the same worker id"));
            }
            lastBeatSentNanos = sentAt;
            handledClaims.removeAll(claimsDone);
            handledResets.removeAll(resetsDone);
            handledHandOvers.removeAll(handOversDone);
            Row row = HeartbeatRows.parse(item);
            handledHandOvers.addAll(row.handedOver());
            handledClaims.addAll(row.claims().keySet());
            handledResets.addAll(row.resets().keySet());
            handOffs.putAll(row.claims());
            return new Heartbeat(row.claims(), row.resets(), row.handedOver());
        }
        finally {
            rowWrites.unlock();
        }
    }

    /** Deletes this process's heartbeat row, once its leases are released: the others count it gone at once. */
    void deregister() {
        rowWrites.lock();
        try {
            String own = epoch;
            if (own == null) {
                return;
            }
            try {
                calls.execute(CheckpointOperation.REGISTER_WORKER, null, () -> client.deleteItem(HeartbeatRows.delete(
                        tableName, ownKey(), own, null).overrideConfiguration(calls.requestOverrides()).build()));
            }
            catch (ConditionalCheckFailedException superseded) {
                // another process has the id now: its row stays
            }
            epoch = null;
            bumpTableChanges();
        }
        finally {
            rowWrites.unlock();
        }
    }

    /** Moves the table's changes (on its mode row): every worker scans the whole table at its next sync. */
    void bumpTableChanges() {
        try {
            calls.execute(CheckpointOperation.REGISTER_WORKER, null, () -> client.updateItem(HeartbeatRows.bumpTableChanges(
                    tableName, keys.of(HeartbeatRows.MODE_ROW)).overrideConfiguration(calls.requestOverrides()).build()));
        }
        catch (ConditionalCheckFailedException noModeRow) {
            // not a table in worker mode
        }
    }

    /** This worker changed which leases it holds, or which rows there are: its next heartbeat says so. */
    void leasesChanged() {
        leaseChanges.incrementAndGet();
    }

    /** Until when this worker's leases are valid: a lease duration after its last successful heartbeat was sent. */
    long validUntilNanos() {
        long last = lastBeatSentNanos;
        return last == NEVER ? observations.now() : last + leaseNanos;
    }

    @Override
    public boolean isExpired(Observation lease, long nowNanos) {
        return judge(lease, nowNanos) != Judgement.ALIVE;
    }

    @Override
    public boolean isSurelyGone(String worker, long nowNanos) {
        return views.isSurelyGone(worker, nowNanos);
    }

    /** How long the owner's heartbeat has stood still, as this worker saw it; {@code null} when never seen. */
    @Nullable Duration unchangedFor(String owner) {
        return views.unchangedFor(owner);
    }

    /** Records the heartbeat rows a scan read, sent at {@code readNanos}; a worker whose row it did not find has none. */
    void observeAll(Map<String, Row> rows, long readNanos) {
        views.observeAll(rows, readNanos);
    }

    /** Deletes the heartbeat rows of workers gone that no lease names any more: see {@link HeartbeatViews#sweep}. */
    void sweep(Set<String> owners) {
        views.sweep(owners);
    }

    /** The workers whose heartbeat row was last seen. */
    List<String> knownWorkers() {
        return views.knownWorkers();
    }

    private Judgement judge(Observation lease, long nowNanos) {
        String owner = lease.lease().owner();
        String leaseEpoch = lease.ownerEpoch();
        if (workerId.equals(owner)) {
            String own = epoch;
            if (own != null && own.equals(leaseEpoch)) {
                return nowNanos - validUntilNanos() > 0 ? Judgement.SILENT : Judgement.ALIVE;
            }
            return Judgement.GONE;   // an earlier process of this worker, or this one before it was judged dead
        }
        HeartbeatViews.View view = views.viewOf(owner, nowNanos);
        Row row = view.row();
        if (row != null && !row.epoch().equals(leaseEpoch)) {
            // The owner's row carries another epoch: gone, if that was read after the lease was seen (else the lease
            // may be the newer of the two).
            return view.readNanos() - lease.sinceNanos() > 0 ? Judgement.GONE : Judgement.ALIVE;
        }
        return nowNanos - view.sinceNanos() > leaseNanos ? Judgement.SILENT : Judgement.ALIVE;
    }

    /**
     * Before a take of another worker's lease: when the owner's heartbeat has stood still for a lease duration, marks
     * it dead, conditioned on the version seen (once per dead worker); when its row carries another epoch, nothing is
     * needed.
     *
     * @throws LeaseNotAcquiredException when the owner's heartbeat moved after all
     */
    void expireIfSilent(Observation lease) {
        String owner = lease.lease().owner();
        if (owner == null || lease.ownerEpoch() == null || workerId.equals(owner)) {
            return;
        }
        synchronized (expiring) {
            Judgement judgement = judge(lease, observations.now());
            if (judgement == Judgement.GONE) {
                return;
            }
            if (judgement == Judgement.ALIVE) {
                throw alive(lease);
            }
            HeartbeatViews.View view = views.get(owner);
            long sentAt = observations.now();
            try {
                calls.execute(CheckpointOperation.EXPIRE_WORKER, null, () -> client.updateItem(HeartbeatRows.expire(tableName,
                        keys.of(HeartbeatRows.key(owner)), view.row(), workerId).overrideConfiguration(calls.requestOverrides())
                        .build()));
                Row seen = view.row();
                Row expired = new Row(owner, HeartbeatRows.EXPIRED_EPOCH_PREFIX + (seen == null ? "none" : seen.epoch()),
                        seen == null ? 0 : seen.counter(), Map.of(), Map.of(), seen == null ? 0 : seen.leaseChanges(), Set.of());
                views.put(owner, new HeartbeatViews.View(expired, sentAt, sentAt));
                log.info("{} judged worker {} dead: its heartbeat stood still for {} ms", workerId, owner,
                        Duration.ofNanos(sentAt - view.sinceNanos()).toMillis());
            }
            catch (ConditionalCheckFailedException moved) {
                long readAt = observations.now();
                views.observe(owner, readRow(owner), readAt);
                if (judge(lease, observations.now()) != Judgement.GONE) {
                    throw alive(lease);
                }
            }
        }
    }

    private LeaseNotAcquiredException alive(Observation lease) {
        return new LeaseNotAcquiredException(lease.lease().shardId(), "lease on shard " + lease.lease().shardId()
                + " is held by " + lease.lease().owner() + ", whose heartbeat is alive");
    }

    /** The worker a shard of this worker was claimed by, to write on its release; {@code null} when none. */
    @Nullable String handOffTo(String shardId) {
        return handOffs.remove(shardId);
    }

    /** Forgets a claim on a shard this worker has just taken: it is settled; and counts the change. */
    void taken(String shardId) {
        handOffs.remove(shardId);
        leasesChanged();
    }

    /** The worker's heartbeat row as it is now (a consistent read), or {@code null}. */
    @Nullable Row readRow(String worker) {
        GetItemRequest request = GetItemRequest.builder().tableName(tableName).key(keys.of(HeartbeatRows.key(worker)))
                .consistentRead(true).overrideConfiguration(calls.requestOverrides()).build();
        Map<String, AttributeValue> item = calls.execute(CheckpointOperation.READ_LEASE, null, () -> client.getItem(request)).item();
        return item == null || item.isEmpty() ? null : HeartbeatRows.parse(item);
    }

    private Map<String, AttributeValue> ownKey() {
        return keys.of(HeartbeatRows.key(workerId));
    }

    private String requireRegistered() {
        String own = epoch;
        if (own == null) {
            throw new WorkerLostException(workerId + " is not registered in lease table " + tableName
                    + ": it must register before it takes leases or beats");
        }
        return own;
    }
}
