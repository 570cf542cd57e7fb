package dev.checkpoint.kinesis.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.ImportedCheckpoint;
import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The Java KCL's lease table (2.x and 3.x; also Spring Cloud AWS's binder in its KCL mode, whose table is named after
 * the consumer group) as a source of checkpoints. Both layouts: single-stream, whose {@code leaseKey} is the shard id;
 * multi-stream, whose {@code leaseKey} is {@code account:stream:creationEpoch:shardId}, of which the rows of the named
 * stream are read. The KCL's checkpoint is the last record processed, with {@code checkpointSubSequenceNumber} inside a
 * KPL aggregate, as this library's is; its sentinels {@code SHARD_END}, {@code TRIM_HORIZON} and {@code LATEST} carry
 * over ({@code AT_TIMESTAMP}'s time lives in the KCL's configuration, not its table: such a shard is left to the
 * consumer's initial position); the first parent is carried. Each row's {@code leaseCounter}, which the KCL moves at
 * every renewal, tells whether the KCL application still runs. The KCL 3's other rows in the table (worker metrics, its
 * leader's lock, its migration state: {@code entityType} other than {@code LEASE}) are not leases and are passed over.
 */
public final class KclLeaseTable implements CheckpointSource {

    static final String LEASE_KEY = "leaseKey";
    static final String LEASE_OWNER = "leaseOwner";
    static final String LEASE_COUNTER = "leaseCounter";
    static final String CHECKPOINT = "checkpoint";
    static final String SUB_SEQUENCE = "checkpointSubSequenceNumber";
    static final String OWNER_SWITCHES = "ownerSwitchesSinceCheckpoint";
    static final String PARENT_SHARD_IDS = "parentShardId";
    static final String STARTING_HASH_KEY = "startingHashKey";
    static final String ENDING_HASH_KEY = "endingHashKey";
    /** The KCL 3's discriminator of the rows in its lease table that are not leases ({@code LEASE} for a lease). */
    static final String ENTITY_TYPE = "entityType";
    /** A multi-stream lease's key: account, stream, creation epoch, shard. */
    private static final Pattern MULTI_STREAM_KEY = Pattern.compile("(\\d+):([^:]+):(\\d+):([^:]+)");

    private final DynamoDbClient client;
    private final String tableName;
    private final @Nullable String streamName;

    /**
     * @param streamName the stream whose checkpoints to read: required for a multi-stream table; for a single-stream
     *        table, only named in reports (its rows do not say which stream they are of)
     */
    public KclLeaseTable(DynamoDbClient client, String tableName, @Nullable String streamName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.streamName = streamName;
    }

    @Override
    public String describe() {
        return "KCL lease table " + tableName + (streamName == null ? "" : " (stream " + streamName + ")");
    }

    @Override
    public List<SourceCheckpoint> read() {
        return read(scan(false));
    }

    /** As {@link #read()}, but a table that does not exist has no rows (an export creates it). */
    List<SourceCheckpoint> readIfExists() {
        return read(scan(true));
    }

    private List<SourceCheckpoint> read(List<Map<String, AttributeValue>> items) {
        List<SourceCheckpoint> checkpoints = new ArrayList<>();
        boolean multiStreamRows = false;
        for (Map<String, AttributeValue> item : items) {
            String key = string(item, LEASE_KEY);
            if (key == null) {
                throw new MigrationRefusedException("table " + tableName + " is not a KCL lease table: a row has no "
                        + LEASE_KEY + " (" + item.keySet() + ")");
            }
            String entity = string(item, ENTITY_TYPE);
            if (entity != null && !"LEASE".equals(entity)) {
                continue;   // the KCL 3's other rows in its lease table: worker metrics, leader lock, migration state
            }
            Matcher multiStream = MULTI_STREAM_KEY.matcher(key);
            String shardId;
            if (multiStream.matches()) {
                multiStreamRows = true;
                if (streamName == null) {
                    throw new MigrationRefusedException("table " + tableName + " is a multi-stream KCL lease table (row "
                            + key + "): name the stream to import");
                }
                if (!multiStream.group(2).equals(streamName)) {
                    continue;
                }
                shardId = multiStream.group(4);
            }
            else if (!key.contains(":")) {
                shardId = key;
            }
            else {
                throw new MigrationRefusedException("row " + key + " of table " + tableName + " is neither a single-stream "
                        + "KCL lease (a shard id) nor a multi-stream one (account:stream:creationEpoch:shardId)");
            }
            checkpoints.add(new SourceCheckpoint(key, checkpoint(key, shardId, item), string(item, LEASE_OWNER),
                    counter(key, item) + "/" + string(item, LEASE_OWNER)));
        }
        if (multiStreamRows && checkpoints.isEmpty()) {
            throw new MigrationRefusedException("multi-stream KCL lease table " + tableName + " has no lease of stream "
                    + streamName);
        }
        return checkpoints;
    }

    private ImportedCheckpoint checkpoint(String key, String shardId, Map<String, AttributeValue> item) {
        String checkpoint = string(item, CHECKPOINT);
        List<String> parents = item.containsKey(PARENT_SHARD_IDS) && item.get(PARENT_SHARD_IDS).hasSs()
                ? item.get(PARENT_SHARD_IDS).ss() : List.of();
        String parent = parents.isEmpty() ? null : parents.get(0);
        if (checkpoint == null) {
            throw new MigrationRefusedException("row " + key + " of table " + tableName + " has no " + CHECKPOINT);
        }
        try {
            return switch (checkpoint) {
                case CheckpointConstants.SHARD_END -> ImportedCheckpoint.finished(shardId, parent);
                case "TRIM_HORIZON" -> ImportedCheckpoint.notStarted(shardId, StartingPosition.trimHorizon(), parent);
                case "LATEST" -> ImportedCheckpoint.notStarted(shardId, StartingPosition.latest(), parent);
                case "AT_TIMESTAMP" -> ImportedCheckpoint.notStarted(shardId, null, parent);
                default -> ImportedCheckpoint.after(shardId, checkpoint, number(item, SUB_SEQUENCE), parent);
            };
        }
        catch (IllegalArgumentException unreadable) {
            throw new MigrationRefusedException("row " + key + " of table " + tableName + " has checkpoint '" + checkpoint
                    + "': neither a sequence number nor one of the KCL's SHARD_END, TRIM_HORIZON, LATEST, AT_TIMESTAMP");
        }
    }

    /** The lease's counter, which every KCL lease has: what moves while the KCL application runs. */
    private long counter(String key, Map<String, AttributeValue> item) {
        AttributeValue value = item.get(LEASE_COUNTER);
        try {
            if (value != null && value.n() != null) {
                return Long.parseLong(value.n());
            }
        }
        catch (NumberFormatException notAWholeNumber) {
            // refused below
        }
        throw new MigrationRefusedException("row " + key + " of table " + tableName + " has no " + LEASE_COUNTER
                + " (a whole number, on every lease the KCL writes): not a KCL lease");
    }

    private List<Map<String, AttributeValue>> scan(boolean missingIsEmpty) {
        try {
            List<Map<String, AttributeValue>> items = new ArrayList<>();
            client.scanPaginator(scan -> scan.tableName(tableName).consistentRead(true)).forEach(page -> items.addAll(page.items()));
            return items;
        }
        catch (ResourceNotFoundException missing) {
            if (missingIsEmpty) {
                return List.of();
            }
            throw new MigrationRefusedException("KCL lease table " + tableName + " does not exist");
        }
    }

    static @Nullable String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    static @Nullable Long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? null : Long.valueOf(value.n());
    }

    String tableName() {
        return tableName;
    }
}
