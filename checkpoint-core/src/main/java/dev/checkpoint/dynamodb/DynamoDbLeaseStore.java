package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointerStatus;
import dev.checkpoint.ImportedCheckpoint;
import dev.checkpoint.Lease;
import dev.checkpoint.KeepAlive;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RenewalModeMismatchException;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import org.jspecify.annotations.Nullable;

/**
 * The {@link LeaseStore} on one DynamoDB table, for one worker: the writes are {@link LeaseProtocol}'s, the reads
 * {@link LeaseReader}'s, and expiry is judged by {@link LeaseObservations}; in worker renewal mode, on the owners'
 * heartbeats ({@link WorkerHeartbeats}). Thread-safe.
 */
final class DynamoDbLeaseStore implements LeaseStore {

    private final TableClient table;
    private final String workerId;
    private final Duration leaseDuration;
    private final Duration claimTimeout;
    private final boolean leaseStealing;
    private final MonotonicClock monotonicClock;
    private final LeaseTable leaseTable;
    private final LeaseReader reader;
    private final LeaseProtocol protocol;
    private final LeaseObservations observations;
    private final ScanAndRenewalAges ages;
    /** How leases are kept alive and judged: per lease, or per worker. */
    private final Ownership ownership;

    DynamoDbLeaseStore(TableClient table, OwnLeases own, Duration claimTimeout, MonotonicClock monotonicClock,
            LeaseTable leaseTable, LeaseReader reader, LeaseProtocol protocol, Ownership ownership) {
        this.table = table;
        this.workerId = own.workerId;
        this.leaseDuration = own.leaseDuration;
        this.leaseStealing = own.leaseStealing;
        this.observations = own.observations;
        this.ages = own.ages;
        this.claimTimeout = claimTimeout;
        this.monotonicClock = monotonicClock;
        this.leaseTable = leaseTable;
        this.reader = reader;
        this.protocol = protocol;
        this.ownership = ownership;
    }

    @Override
    public String tableName() {
        return table.tableName;
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
        return ownership.readForSync();
    }

    @Override
    public @Nullable String consumerGroup() {
        return table.keys.group();
    }

    @Override
    public Map<String, List<Lease>> scanEveryGroup() {
        return table.keys.isShared() ? reader.scanEveryGroup() : Map.of("", reader.scan());
    }

    /**
     * In a table shared by consumer groups, binds this group to {@code identity} the first time (one conditional
     * PutItem of the group's row), and after that checks it (one read, and nothing written when it differs). In the Go
     * library's layout there is nowhere to record it: nothing is done.
     */
    @Override
    public void bindStream(String identity) {
        Objects.requireNonNull(identity, "identity");
        if (table.keys.isShared()) {
            new StreamBinding(table).bind(identity);
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
        return new CheckpointerStatus(table.tableName, workerId, protocol.heldLeases(), ages.sinceLastScan(),
                ages.sinceLastRenewal(), ages.renewalsFailingFor());
    }

    @Override
    public @Nullable String tableStatus() {
        TableStatus status = leaseTable.status();
        return status == null ? null : status.toString();
    }

    /** The row's age as observed; in worker renewal mode, for a lease with an owner epoch, its owner's heartbeat's. */
    @Override
    public @Nullable Duration unchangedFor(String shardId) {
        Observation seen = observations.get(shardId);
        return seen == null ? null : ownership.unchangedFor(seen);
    }

    @Override
    public KeepAlive keepAlive() {
        return ownership.keepAlive();
    }

    /**
     * In per-lease mode, reads the table's mode row: one GetItem, and nothing written. In worker renewal mode, marks
     * the table (the first time, once no per-lease worker renews leases in it: see {@link PerLeaseWorkersCheck}) and
     * writes this process's heartbeat row under a new epoch: a GetItem of the mode row, then two writes.
     *
     * @throws RenewalModeMismatchException before anything is written, when the table's workers renew the other way
     */
    @Override
    public void register() {
        ownership.register();
    }

    /** The table's renewal mode, as its {@code #mode} row says (none: per lease): one consistent GetItem. */
    RenewalMode tableRenewalMode() {
        return reader.tableRenewalMode();
    }

    /** Whether the table is keyed for consumer groups: one DescribeTable. */
    boolean isTableSharedByGroups() {
        return leaseTable.isSharedByGroups();
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
        Map<String, AttributeValue> item = new HashMap<>(table.key(shardId));
        String identity = protocol.streamIdentity();
        if (identity != null) {
            item.put(CheckpointConstants.STREAM_IDENTITY_KEY, LeaseSerializer.string(identity));
        }
        if (parentShardId != null) {
            item.put(CheckpointConstants.PARENT_SHARD_ID_KEY, LeaseSerializer.string(parentShardId));
        }
        PutItemRequest request = LeaseConditions.createIfMissing(table.tableName, item)
                .overrideConfiguration(table.calls.requestOverrides()).build();
        try {
            table.execute(CheckpointOperation.CREATE_LEASE, shardId, () -> table.client.putItem(request));
            ownership.leasesChanged();
        }
        catch (ConditionalCheckFailedException exists) {
            // another worker created it first, or took it: either way the row is there
        }
    }

    @Override
    public Lease take(String shardId, @Nullable String parentShardId) {
        ShardStatus shard = new ShardStatus(ShardStatus.requireShardId(shardId, "shardId"));
        shard.setParentShardId(parentShardId);
        return protocol.take(shard, workerId);
    }

    @Override
    public void checkpoint(String shardId, String sequenceNumber, @Nullable Long subSequenceNumber, Duration timeLeft) {
        ShardStatus shard = new ShardStatus(ShardStatus.requireShardId(shardId, "shardId"));
        shard.setCheckpoint(sequenceNumber);
        shard.setCheckpointSubSequenceNumber(subSequenceNumber);
        Objects.requireNonNull(timeLeft, "timeLeft");
        protocol.checkpoint(shard, monotonicClock.nanoTime() + timeLeft.toNanos());
    }

    @Override
    public void release(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        protocol.release(shardId);
    }

    @Override
    public void claim(String shardId, String owner) {
        ShardStatus shard = new ShardStatus(ShardStatus.requireShardId(shardId, "shardId"));
        shard.setLeaseOwner(Objects.requireNonNull(owner, "owner"));
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

    /** One UpdateItem; this worker's view of the row is read again at its next sync. */
    @Override
    public boolean importCheckpoint(ImportedCheckpoint checkpoint, @Nullable Lease replacing) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        String shardId = checkpoint.shardId();
        UpdateItemRequest request = table.request(LeaseConditions.importCheckpoint(checkpoint, replacing), shardId,
                ReturnValue.NONE);
        try {
            table.update(CheckpointOperation.IMPORT_CHECKPOINT, shardId, request);
        }
        catch (ConditionalCheckFailedException changed) {
            Observation now = reader.read(shardId);
            if (now == null || !isImported(now.lease(), checkpoint, replacing)) {
                observations.forget(shardId);
                return false;
            }
            // a retry of our own import, whose answer was lost after it landed
        }
        observations.forget(shardId);
        ownership.leasesChanged();
        return true;
    }

    /** Whether {@code row} is the import as it would have been written over {@code replacing}. */
    private static boolean isImported(Lease row, ImportedCheckpoint imported, @Nullable Lease replacing) {
        long counter = replacing == null || replacing.leaseCounter() == 0 ? 0 : replacing.leaseCounter() + 1;
        return row.owner() == null && row.leaseCounter() == counter && row.pendingReset() == null
                && Objects.equals(row.checkpoint(), imported.checkpoint())
                && Objects.equals(row.checkpointSubSequenceNumber(), imported.subSequenceNumber())
                && Objects.equals(row.startingPosition(), imported.startingPosition());
    }

    @Override
    public void remove(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        table.execute(CheckpointOperation.DELETE_LEASE, shardId, () -> table.client.deleteItem(DeleteItemRequest.builder()
                .tableName(table.tableName).key(table.key(shardId))
                .overrideConfiguration(table.calls.requestOverrides()).build()));
        observations.forget(shardId);
        ownership.leasesChanged();
    }

    /** The protocol's writes, for the seed's API ({@link DynamoDbCheckpointer}) and {@link LeaseTableAdmin}. */
    LeaseProtocol protocol() {
        return protocol;
    }

    /** Checks the table, creating it when it is missing and creation is on, and waits until it is ACTIVE. */
    void init() {
        leaseTable.ensureActive();
    }
}
