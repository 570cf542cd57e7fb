package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.CheckpointerStatus;
import dev.checkpoint.Heartbeat;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RenewalModeMismatchException;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LeaseStore} on one DynamoDB table, for one worker: the writes are {@link LeaseProtocol}'s, the reads
 * {@link LeaseReader}'s, and expiry is judged by {@link LeaseObservations}; in worker renewal mode, on the owners'
 * heartbeats ({@link WorkerHeartbeats}). Thread-safe.
 */
final class DynamoDbLeaseStore implements LeaseStore {

    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final String tableName;
    private final LeaseKeys keys;
    private final String workerId;
    private final Duration leaseDuration;
    private final Duration claimTimeout;
    private final boolean leaseStealing;
    private final MonotonicClock monotonicClock;
    private final LeaseTable table;
    private final LeaseReader reader;
    private final LeaseProtocol protocol;
    private final LeaseObservations observations;
    private final ScanAndRenewalAges ages;
    /** In worker renewal mode, the heartbeats; {@code null} in per-lease mode. */
    private final @Nullable WorkerHeartbeats heartbeats;
    /** In worker renewal mode, the syncs' reads, which scan the whole table only when something changed. */
    private final @Nullable SyncReads syncReads;
    /** In worker renewal mode, what refuses to mark a table whose per-lease workers still renew. */
    private final PerLeaseWorkersCheck perLeaseWorkers;

    DynamoDbLeaseStore(DynamoDbClient client, DynamoDbCalls calls, String tableName, LeaseKeys keys, String workerId,
            Duration leaseDuration, Duration claimTimeout, boolean leaseStealing, MonotonicClock monotonicClock, LeaseTable table,
            LeaseReader reader, LeaseProtocol protocol, LeaseObservations observations, ScanAndRenewalAges ages,
            @Nullable WorkerHeartbeats heartbeats, Sleeper sleeper) {
        this.heartbeats = heartbeats;
        this.perLeaseWorkers = new PerLeaseWorkersCheck(reader, observations, tableName, leaseDuration, sleeper);
        this.syncReads = heartbeats == null ? null
                : new SyncReads(client, calls, tableName, keys, reader, observations, heartbeats, ages);
        this.client = client;
        this.calls = calls;
        this.tableName = tableName;
        this.keys = keys;
        this.workerId = workerId;
        this.leaseDuration = leaseDuration;
        this.claimTimeout = claimTimeout;
        this.leaseStealing = leaseStealing;
        this.monotonicClock = monotonicClock;
        this.table = table;
        this.reader = reader;
        this.protocol = protocol;
        this.observations = observations;
        this.ages = ages;
    }

    @Override
    public String tableName() {
        return tableName;
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
        return monotonicClock;
    }

    @Override
    public List<Lease> scan() {
        return reader.scan();
    }

    @Override
    public List<Lease> scanForSync() {
        return syncReads != null ? syncReads.read() : reader.scan();
    }

    @Override
    public @Nullable String consumerGroup() {
        return keys.group();
    }

    @Override
    public Map<String, List<Lease>> scanEveryGroup() {
        return keys.isShared() ? reader.scanEveryGroup() : Map.of("", reader.scan());
    }

    /**
     * In a table shared by consumer groups, binds this group to {@code identity} the first time (one conditional
     * PutItem of the group's row), and after that checks it (one read, and nothing written when it differs). In the Go
     * library's layout there is nowhere to record it: nothing is done.
     */
    @Override
    public void bindStream(String identity) {
        Objects.requireNonNull(identity, "identity");
        if (keys.isShared()) {
            new StreamBinding(client, calls, tableName, keys).bind(identity);
            protocol.boundTo(identity);
        }
    }

    @Override
    public @Nullable Lease find(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        Observation row = reader.read(shardId);
        return row == null ? null : row.lease();
    }

    @Override
    public CheckpointerStatus status() {
        return new CheckpointerStatus(tableName, workerId, protocol.heldLeases(), ages.sinceLastScan(),
                ages.sinceLastRenewal(), ages.renewalsFailingFor());
    }

    @Override
    public @Nullable String tableStatus() {
        TableStatus status = table.status();
        return status == null ? null : status.toString();
    }

    /** In worker renewal mode, for a lease with an owner epoch: how long its owner's heartbeat has stood still. */
    @Override
    public @Nullable Duration unchangedFor(String shardId) {
        Observation seen = observations.get(shardId);
        if (seen == null) {
            return null;
        }
        if (heartbeats != null && seen.ownerEpoch() != null && seen.lease().owner() != null) {
            return heartbeats.unchangedFor(seen.lease().owner());
        }
        return Duration.ofNanos(observations.now() - seen.sinceNanos());
    }

    @Override
    public RenewalMode renewalMode() {
        return heartbeats == null ? RenewalMode.LEASE : RenewalMode.WORKER;
    }

    /**
     * In worker renewal mode, marks the table (the first time, once no per-lease worker renews leases in it: see
     * {@link PerLeaseWorkersCheck}) and writes this process's heartbeat row under a new epoch: a GetItem of the mode
     * row, then two writes. In per-lease mode, reads the table's mode row: one GetItem, and nothing written.
     *
     * @throws RenewalModeMismatchException before anything is written, when the table's workers renew the other way
     */
    @Override
    public void register() {
        boolean workerModeTable = tableRenewalMode() == RenewalMode.WORKER;
        if (heartbeats != null) {
            if (!workerModeTable) {
                perLeaseWorkers.refuseWhileRenewed();
            }
            heartbeats.register();
            return;
        }
        if (workerModeTable) {
            throw new RenewalModeMismatchException(tableName, RenewalMode.WORKER, RenewalMode.LEASE, "its mode row says so");
        }
    }

    /** The table's renewal mode, as its {@code #mode} row says (none: per lease): one consistent GetItem. */
    RenewalMode tableRenewalMode() {
        Map<String, AttributeValue> item = reader.readItem(HeartbeatRows.MODE_ROW);
        return item != null && HeartbeatRows.modeOf(item) == RenewalMode.WORKER ? RenewalMode.WORKER : RenewalMode.LEASE;
    }

    /** Whether the table is keyed for consumer groups: one DescribeTable. */
    boolean isTableSharedByGroups() {
        return table.isSharedByGroups();
    }

    /** One conditional UpdateItem of this worker's heartbeat row, which brings its mailboxes back. */
    @Override
    public Heartbeat heartbeat(Duration timeLeft) {
        Objects.requireNonNull(timeLeft, "timeLeft");
        if (heartbeats == null) {
            return LeaseStore.super.heartbeat(timeLeft);
        }
        try {
            Heartbeat beat = heartbeats.beat(monotonicClock.nanoTime() + timeLeft.toNanos());
            ages.renewalSucceeded();
            return beat;
        }
        catch (CheckpointStoreException failure) {
            ages.renewalFailed();
            throw failure;
        }
    }

    @Override
    public void deregister() {
        if (heartbeats != null) {
            heartbeats.deregister();
        }
    }

    @Override
    public boolean isExpired(String shardId) {
        Observation seen = observations.get(shardId);
        return seen != null && observations.isExpired(seen, observations.now());
    }

    /**
     * One conditional PutItem; an existing row is left as it is.
     */
    @Override
    public void createIfMissing(String shardId, String parentShardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        Map<String, AttributeValue> item = new HashMap<>(keys.of(shardId));
        String identity = protocol.streamIdentity();
        if (identity != null) {
            item.put(CheckpointConstants.STREAM_IDENTITY_KEY, LeaseSerializer.string(identity));
        }
        if (parentShardId != null) {
            item.put(CheckpointConstants.PARENT_SHARD_ID_KEY, LeaseSerializer.string(parentShardId));
        }
        PutItemRequest request = PutItemRequest.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", CheckpointConstants.LEASE_KEY_KEY))
                .overrideConfiguration(calls.requestOverrides()).build();
        try {
            calls.execute(CheckpointOperation.CREATE_LEASE, shardId, () -> client.putItem(request));
            if (heartbeats != null) {
                heartbeats.leasesChanged();
            }
        }
        catch (ConditionalCheckFailedException exists) {
            // another worker created it first, or took it: either way the row is there
        }
    }

    @Override
    public void take(ShardStatus shard) {
        Objects.requireNonNull(shard, "shard");
        protocol.take(shard, workerId);
    }

    @Override
    public Set<String> renew(ShardStatus shard, Duration timeLeft) {
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(timeLeft, "timeLeft");
        return protocol.renew(shard, monotonicClock.nanoTime() + timeLeft.toNanos());
    }

    @Override
    public void checkpoint(ShardStatus shard) {
        Objects.requireNonNull(shard, "shard");
        protocol.checkpoint(shard, null);
    }

    @Override
    public void checkpoint(ShardStatus shard, Duration timeLeft) {
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(timeLeft, "timeLeft");
        protocol.checkpoint(shard, monotonicClock.nanoTime() + timeLeft.toNanos());
    }

    @Override
    public void release(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        protocol.release(shardId);
    }

    @Override
    public void claim(ShardStatus shard) {
        Objects.requireNonNull(shard, "shard");
        protocol.claim(shard, workerId);
    }

    /** One UpdateItem: on the successor's lease row in per-lease mode, on its heartbeat row in worker mode. */
    @Override
    public void handOver(String shardId, String successor, String successorsLease) {
        ShardStatus.requireShardId(shardId, "shardId");
        Objects.requireNonNull(successor, "successor");
        protocol.handOver(shardId, successor, successorsLease);
    }

    /** One UpdateItem in per-lease mode; in worker mode, one more first, on the owner's heartbeat row. */
    @Override
    public void withdrawClaim(String shardId, String owner) {
        ShardStatus.requireShardId(shardId, "shardId");
        Objects.requireNonNull(owner, "owner");
        protocol.withdrawClaim(shardId, owner, workerId);
    }

    @Override
    public @Nullable ResetReceipt requestReset(String shardId, StartingPosition to, String requestedBy) {
        ShardStatus.requireShardId(shardId, "shardId");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(requestedBy, "requestedBy");
        return protocol.requestReset(shardId, to, requestedBy);
    }

    @Override
    public void remove(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        calls.execute(CheckpointOperation.DELETE_LEASE, shardId, () -> client.deleteItem(DeleteItemRequest.builder()
                .tableName(tableName).key(keys.of(shardId))
                .overrideConfiguration(calls.requestOverrides()).build()));
        observations.forget(shardId);
        if (heartbeats != null) {
            heartbeats.leasesChanged();
        }
    }

    /** Checks the table, creating it when it is missing and creation is on, and waits until it is ACTIVE. */
    void init() {
        table.ensureActive();
    }
}
