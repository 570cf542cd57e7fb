package dev.checkpoint.kinesis.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.kinesis.migration.MigrationReport.Action;
import dev.checkpoint.kinesis.migration.MigrationReport.ShardOutcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * The way back: writes this group's checkpoints into a Java KCL lease table (single-stream layout, 2.x and 3.x), so that
 * a KCL application started on it resumes where this library stopped. The same care as {@link CheckpointImport}: this
 * group's rows are watched for {@link MigrationOptions#observeFor} and the export refused while any lease moves (stop the group
 * first); a KCL row with progress is kept unless {@link MigrationOptions#replaceProgress}, and then replaced only as read (its
 * {@code leaseCounter} and owner); every row is written on condition; a dry run writes nothing. A shard whose start is a
 * reset to a timestamp or a sequence number, which a KCL checkpoint cannot say, refuses the export, naming it. The rows
 * carry the shard's hash key range, parents and, for a finished shard, children, from the stream's listing, as the KCL
 * writes them; the table is created (on demand) when it is missing.
 */
public final class CheckpointExport {

    private static final Logger audit = LoggerFactory.getLogger("dev.checkpoint.audit");

    private final LeaseStore store;
    private final DynamoDbClient client;
    private final String kclTable;
    private final StreamShards stream;
    private final MigrationOptions options;

    private CheckpointExport(Builder builder) {
        this.store = Objects.requireNonNull(builder.store, "store");
        this.client = Objects.requireNonNull(builder.client, "dynamoDbClient");
        this.kclTable = Objects.requireNonNull(builder.kclTable, "kclTable");
        this.stream = Objects.requireNonNull(builder.stream, "stream");
        this.options = builder.options;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Watches, checks, and writes (unless a dry run).
     *
     * @throws MigrationRefusedException when this group runs, the KCL application runs (with {@code replaceProgress}),
     *         a shard's start cannot be said in a KCL checkpoint, or a row is not of the stream; nothing is written then
     */
    public MigrationReport run() throws InterruptedException {
        Map<String, Lease> oursFirst = ourRows();
        Map<String, SourceCheckpoint> kclFirst = kclRows();
        options.pause().pause(options.observeFor());
        Map<String, Lease> ours = ourRows();
        Map<String, SourceCheckpoint> kcl = kclRows();
        refuseIfMoved(oursFirst, ours, kclFirst, kcl);
        checkCarriable(ours.values());
        if (!options.dryRun()) {
            new KclTableCreation(client, kclTable).ensureExists();
        }
        List<ShardOutcome> outcomes = new ArrayList<>();
        for (Lease lease : ours.values()) {
            outcomes.add(carry(lease, kcl.get(lease.shardId())));
        }
        return new MigrationReport("lease table " + store.tableName(), "KCL lease table " + kclTable, options.dryRun(), outcomes);
    }

    private ShardOutcome carry(Lease lease, @Nullable SourceCheckpoint kclRow) {
        String shardId = lease.shardId();
        String read = CheckpointImport.describe(lease);
        String target = kclRow == null ? "none" : kclRow.checkpoint().describe();
        String checkpoint = kclCheckpoint(lease);
        if (checkpoint == null) {
            return new ShardOutcome(shardId, read, Action.NOTHING_TO_CARRY, target);
        }
        boolean progress = kclRow != null && kclRow.checkpoint().checkpoint() != null;
        if (progress && !options.replaceProgress()) {
            return new ShardOutcome(shardId, read, Action.KEPT_TARGET_PROGRESS, target);
        }
        if (options.dryRun()) {
            return new ShardOutcome(shardId, read, Action.WOULD_WRITE, target);
        }
        try {
            client.putItem(put(lease, checkpoint, kclRow));
        }
        catch (ConditionalCheckFailedException changed) {
            return new ShardOutcome(shardId, read, Action.TARGET_CHANGED, target);
        }
        audit.info("Checkpoint exported: table={} shard={} to=KCL lease table {} checkpoint={} replacing={} by={}",
                store.tableName(), shardId, kclTable, read, target, options.requestedBy());
        return new ShardOutcome(shardId, read, Action.WRITTEN, target);
    }

    /** The KCL's checkpoint for the lease: its own, or a sentinel; {@code null} when there is nothing to carry. */
    private static @Nullable String kclCheckpoint(Lease lease) {
        if (lease.checkpoint() != null) {
            return lease.checkpoint();
        }
        StartingPosition start = lease.startingPosition();
        return start == null ? null : start.kind().name();   // TRIM_HORIZON or LATEST: checkCarriable refused the rest
    }

    private PutItemRequest put(Lease lease, String checkpoint, @Nullable SourceCheckpoint kclRow) {
        Map<String, AttributeValue> item = new HashMap<>();
        long counter = 0;
        PutItemRequest.Builder put = PutItemRequest.builder().tableName(kclTable);
        if (kclRow == null) {
            put.conditionExpression("attribute_not_exists(" + KclLeaseTable.LEASE_KEY + ")");
        }
        else {
            String[] counterAndOwner = Objects.requireNonNull(kclRow.liveness()).split("/", 2);
            counter = Long.parseLong(counterAndOwner[0]) + 1;
            Map<String, AttributeValue> values = new HashMap<>();
            values.put(":seenCounter", AttributeValue.fromN(counterAndOwner[0]));
            String condition = KclLeaseTable.LEASE_COUNTER + " = :seenCounter AND ";
            if (kclRow.owner() == null) {
                condition += "attribute_not_exists(" + KclLeaseTable.LEASE_OWNER + ")";
            }
            else {
                condition += KclLeaseTable.LEASE_OWNER + " = :seenOwner";
                values.put(":seenOwner", AttributeValue.fromS(kclRow.owner()));
            }
            put.conditionExpression(condition).expressionAttributeValues(values);
        }
        item.put(KclLeaseTable.LEASE_KEY, AttributeValue.fromS(lease.shardId()));
        item.put(KclLeaseTable.LEASE_COUNTER, AttributeValue.fromN(Long.toString(counter)));
        item.put(KclLeaseTable.OWNER_SWITCHES, AttributeValue.fromN("0"));
        item.put(KclLeaseTable.CHECKPOINT, AttributeValue.fromS(checkpoint));
        Long sub = lease.checkpointSubSequenceNumber();
        item.put(KclLeaseTable.SUB_SEQUENCE, AttributeValue.fromN(Long.toString(sub == null ? 0 : sub)));
        Shard shard = stream.get(lease.shardId());
        if (shard != null) {
            List<String> parents = new ArrayList<>();
            if (shard.parentShardId() != null) {
                parents.add(shard.parentShardId());
            }
            if (shard.adjacentParentShardId() != null) {
                parents.add(shard.adjacentParentShardId());
            }
            if (!parents.isEmpty()) {
                item.put(KclLeaseTable.PARENT_SHARD_IDS, AttributeValue.fromSs(parents));
            }
            item.put(KclLeaseTable.STARTING_HASH_KEY, AttributeValue.fromS(shard.hashKeyRange().startingHashKey()));
            item.put(KclLeaseTable.ENDING_HASH_KEY, AttributeValue.fromS(shard.hashKeyRange().endingHashKey()));
        }
        if (CheckpointConstants.SHARD_END.equals(checkpoint)) {
            List<String> children = stream.childrenOf(lease.shardId());
            if (!children.isEmpty()) {
                item.put("childShardIds", AttributeValue.fromSs(children));
            }
        }
        return put.item(item).build();
    }

    private void checkCarriable(java.util.Collection<Lease> leases) {
        TreeSet<String> refused = new TreeSet<>();
        for (Lease lease : leases) {
            if (!stream.contains(lease.shardId())) {
                refused.add(lease.shardId() + " (not a shard of stream " + stream.streamName() + ")");
            }
            StartingPosition start = lease.startingPosition();
            if (lease.checkpoint() == null && start != null && start.kind() != StartingPosition.Kind.TRIM_HORIZON
                    && start.kind() != StartingPosition.Kind.LATEST) {
                refused.add(lease.shardId() + " (starts at " + start + ", which a KCL checkpoint cannot say: let it "
                        + "process a record first)");
            }
        }
        if (!refused.isEmpty()) {
            throw new MigrationRefusedException("cannot export " + String.join(", ", refused) + "; nothing was written");
        }
    }

    private void refuseIfMoved(Map<String, Lease> oursBefore, Map<String, Lease> ours,
            Map<String, SourceCheckpoint> kclBefore, Map<String, SourceCheckpoint> kcl) {
        TreeSet<String> moved = new TreeSet<>();
        ours.forEach((shardId, lease) -> {
            Lease was = oursBefore.get(shardId);
            if (was == null || was.leaseCounter() != lease.leaseCounter() || !Objects.equals(was.owner(), lease.owner())
                    || !Objects.equals(was.checkpoint(), lease.checkpoint())) {
                moved.add(shardId);
            }
        });
        if (!moved.isEmpty()) {
            throw new MigrationRefusedException("this group runs: its rows of " + String.join(", ", moved)
                    + " changed while they were watched; stop it, then export again. Nothing was written");
        }
        if (options.replaceProgress()) {
            kcl.forEach((key, row) -> {
                SourceCheckpoint was = kclBefore.get(key);
                if (was == null || !Objects.equals(was.liveness(), row.liveness())) {
                    moved.add(key);
                }
            });
            if (!moved.isEmpty()) {
                throw new MigrationRefusedException("the KCL application runs: its leases " + String.join(", ", moved)
                        + " changed while they were watched; stop it before replacing its progress. Nothing was written");
            }
        }
    }

    private Map<String, Lease> ourRows() {
        return store.scan().stream().collect(Collectors.toMap(Lease::shardId, Function.identity(), (a, b) -> a,
                TreeMap::new));
    }

    private Map<String, SourceCheckpoint> kclRows() {
        return new KclLeaseTable(client, kclTable, stream.streamName()).readIfExists().stream()
                .collect(Collectors.toMap(row -> row.checkpoint().shardId(), Function.identity(), (a, b) -> a));
    }

    /** What to export, to where, and how carefully. */
    public static final class Builder {

        private @Nullable LeaseStore store;
        private @Nullable DynamoDbClient client;
        private @Nullable String kclTable;
        private @Nullable StreamShards stream;
        private MigrationOptions options = MigrationOptions.defaults();

        private Builder() {
        }

        /** This group's lease store: what is exported. */
        public Builder store(LeaseStore store) {
            this.store = store;
            return this;
        }

        /** The client of the KCL's table (it may be another account's or region's than the lease table's). */
        public Builder dynamoDbClient(DynamoDbClient client) {
            this.client = client;
            return this;
        }

        /** The KCL's lease table: its application name. */
        public Builder kclTable(String kclTable) {
            this.kclTable = kclTable;
            return this;
        }

        /** The stream, listed: each row's hash key range, parents and children come from it. */
        public Builder stream(StreamShards stream) {
            this.stream = stream;
            return this;
        }

        /** How carefully: watched how long, replacing progress or not, a dry run, who asks (default: {@link MigrationOptions#defaults()}). */
        public Builder options(MigrationOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public CheckpointExport build() {
            return new CheckpointExport(this);
        }
    }
}
