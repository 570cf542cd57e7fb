package dev.checkpoint.kinesis.migration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.checkpoint.ImportedCheckpoint;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Spring Cloud AWS's Kinesis binder (4.x, its own polling adapter) as a source of checkpoints: its DynamoDB metadata
 * store holds one row a shard, {@code metadataKey} = {@code consumerGroup:stream:shardId}, {@code metadataValue} = the
 * sequence number of the last record processed; its lock registry holds a lock a shard under the same key, whose
 * {@code expireAt} the running application moves on. (In its KCL mode the binder keeps a KCL lease table named after
 * the consumer group: read that with {@link KclLeaseTable}.)
 */
public final class SpringCloudAwsCheckpoints implements CheckpointSource {

    /** The metadata store's and lock registry's default table names, and their attributes. */
    public static final String DEFAULT_METADATA_TABLE = "SpringIntegrationMetadataStore";
    public static final String DEFAULT_LOCK_TABLE = "SpringIntegrationLockRegistry";
    private static final String KEY = "metadataKey";
    private static final String VALUE = "metadataValue";
    private static final String LOCK_KEY = "lockKey";
    private static final String LOCK_OWNER = "lockOwner";
    private static final String LOCK_EXPIRY = "expireAt";

    private final DynamoDbClient client;
    private final String metadataTable;
    private final @Nullable String lockTable;
    private final String consumerGroup;
    private final String streamName;

    /**
     * @param lockTable the binder's lock registry table, whose locks tell whether it still runs; {@code null} when it
     *        has none (then nothing tells, and the import relies on the operator having stopped it)
     */
    public SpringCloudAwsCheckpoints(DynamoDbClient client, String metadataTable, @Nullable String lockTable,
            String consumerGroup, String streamName) {
        this.client = Objects.requireNonNull(client, "client");
        this.metadataTable = Objects.requireNonNull(metadataTable, "metadataTable");
        this.lockTable = lockTable;
        this.consumerGroup = Objects.requireNonNull(consumerGroup, "consumerGroup");
        this.streamName = Objects.requireNonNull(streamName, "streamName");
    }

    @Override
    public String describe() {
        return "Spring Cloud AWS metadata store " + metadataTable + " (group " + consumerGroup + ", stream " + streamName + ")";
    }

    @Override
    public List<SourceCheckpoint> read() {
        String prefix = consumerGroup + ":" + streamName + ":";
        Map<String, Map<String, AttributeValue>> locks = lockTable == null ? Map.of() : byKey(lockTable, LOCK_KEY, prefix);
        List<SourceCheckpoint> checkpoints = new ArrayList<>();
        byKey(metadataTable, KEY, prefix).forEach((key, item) -> {
            String shardId = key.substring(prefix.length());
            AttributeValue value = item.get(VALUE);
            if (value == null || value.s() == null) {
                throw new MigrationRefusedException("row " + key + " of table " + metadataTable + " has no " + VALUE);
            }
            ImportedCheckpoint checkpoint;
            try {
                checkpoint = ImportedCheckpoint.after(shardId, value.s(), null, null);
            }
            catch (IllegalArgumentException unreadable) {
                throw new MigrationRefusedException("row " + key + " of table " + metadataTable + " has value '" + value.s()
                        + "': not a sequence number");
            }
            Map<String, AttributeValue> lock = locks.get(key);
            String owner = lock == null ? null : KclLeaseTable.string(lock, LOCK_OWNER);
            String liveness = lock == null ? null : KclLeaseTable.number(lock, LOCK_EXPIRY) + "/" + owner;
            checkpoints.add(new SourceCheckpoint(key, checkpoint, owner, liveness));
        });
        if (checkpoints.isEmpty()) {
            throw new MigrationRefusedException("table " + metadataTable + " has no checkpoint of group " + consumerGroup
                    + " on stream " + streamName + " (no " + KEY + " starting with " + prefix + ")");
        }
        return checkpoints;
    }

    /** The rows of {@code table} whose {@code keyName} starts with {@code prefix}, by key. */
    private Map<String, Map<String, AttributeValue>> byKey(String table, String keyName, String prefix) {
        Map<String, Map<String, AttributeValue>> rows = new HashMap<>();
        try {
            client.scanPaginator(scan -> scan.tableName(table).consistentRead(true)
                    .filterExpression("begins_with(#key, :prefix)").expressionAttributeNames(Map.of("#key", keyName))
                    .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(prefix))))
                    .forEach(page -> page.items().forEach(item -> rows.put(item.get(keyName).s(), item)));
        }
        catch (ResourceNotFoundException missing) {
            throw new MigrationRefusedException("table " + table + " does not exist");
        }
        return rows;
    }
}
