package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.Lease;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.ResetRequest;
import dev.checkpoint.Resets;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;

/**
 * An operator's handle on a lease table: it reads and administers, and is no worker. It needs no worker id, and works
 * on a table in either renewal mode and either key layout, which it finds out from the table itself: list the leases,
 * release one whoever holds it, reset shards (a reset of named shards reads only their rows), say the table's mode and
 * layout. It never takes, renews or registers anything.
 *
 * <pre>{@code
 * LeaseTableAdmin admin = LeaseTableAdmin.builder().dynamoDbClient(client).tableName("orders-consumer-leases").build();
 * admin.renewalMode();                               // LEASE or WORKER, from the table's #mode row
 * admin.listLeases().forEach(System.out::println);  // owner, counter, checkpoint, owner epoch in worker mode, ...
 * admin.reset(ResetRequest.shards(StartingPosition.trimHorizon(), List.of("shardId-000000000003")).requestedBy("alice"));
 * }</pre>
 */
public final class LeaseTableAdmin {

    /** How the table's keys are laid out. */
    public enum Layout {
        /** The Go library's: one consumer group, keyed by {@code ShardID} alone. */
        SINGLE_GROUP,
        /** Shared by consumer groups: keyed by {@code ConsumerGroup} and {@code ShardID}. */
        SHARED
    }

    /** The name the handle's writes carry where a worker's would (a reset's audit line names the person asking). */
    static final String OPERATOR = "operator";

    private final DynamoDbClient client;
    private final String tableName;
    private final @Nullable String consumerGroup;
    private final Duration requestTimeout;
    private final int retries;
    private volatile @Nullable DynamoDbCheckpointer handle;

    private LeaseTableAdmin(Builder builder) {
        this.client = builder.dynamoDbClient;
        this.tableName = builder.tableName;
        this.consumerGroup = builder.consumerGroup;
        this.requestTimeout = builder.requestTimeout;
        this.retries = builder.retries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The table's renewal mode, from its {@code #mode} row: one consistent GetItem. */
    public RenewalMode renewalMode() {
        LeaseKeys keys = consumerGroup == null ? LeaseKeys.single() : LeaseKeys.shared(consumerGroup);
        Map<String, AttributeValue> item = calls().execute(CheckpointOperation.READ_LEASE, null,
                () -> client.getItem(get -> get.tableName(tableName).consistentRead(true)
                        .key(keys.of(HeartbeatRows.MODE_ROW)))).item();
        return item != null && !item.isEmpty() && HeartbeatRows.modeOf(item) == RenewalMode.WORKER ? RenewalMode.WORKER
                : RenewalMode.LEASE;
    }

    /** The table's key layout, from its key schema: one DescribeTable. */
    public Layout layout() {
        List<KeySchemaElement> keySchema = calls().execute(CheckpointOperation.DESCRIBE_TABLE, null,
                () -> client.describeTable(describe -> describe.tableName(tableName))).table().keySchema();
        boolean shared = keySchema.stream().anyMatch(key -> key.keyType() == KeyType.HASH
                && CheckpointConstants.CONSUMER_GROUP_KEY.equals(key.attributeName()));
        return shared ? Layout.SHARED : Layout.SINGLE_GROUP;
    }

    /** Every lease of the group (or of the table, in the Go layout), as read now: a consistent, paginated read. */
    public List<Lease> listLeases() {
        return handle().leaseStore().scan();
    }

    /**
     * Releases the lease, whoever holds it: its owner's next renewal or heartbeat loses it, its later checkpoints are
     * refused, and another worker takes it at its next sync. For a stuck or forgotten owner; a running group's graceful
     * move is the {@code leases} endpoint's release on the owner itself.
     *
     * @return {@code false} when nobody held it, or it changed meanwhile (nothing written then)
     */
    public boolean release(String shardId) {
        return handle().protocol().releaseWhoeverHolds(shardId);
    }

    /**
     * Resets shards while the group runs, as {@link Resets} does; shards named are read by key, one GetItem each,
     * never by a scan of the table.
     *
     * @throws IllegalArgumentException naming the shards that have no row; nothing is reset then
     */
    public List<ResetReceipt> reset(ResetRequest request) {
        return new Resets(handle().leaseStore()).request(request);
    }

    /** The checkpointer the handle reads and writes through, in the table's mode, made at first use. */
    private DynamoDbCheckpointer handle() {
        DynamoDbCheckpointer made = handle;
        if (made == null) {
            DynamoDbCheckpointer.Builder builder = DynamoDbCheckpointer.builder().dynamoDbClient(client)
                    .tableName(tableName).workerId(OPERATOR).renewalMode(renewalMode()).requestTimeout(requestTimeout)
                    .retries(retries);
            if (consumerGroup != null) {
                builder.consumerGroup(consumerGroup);
            }
            made = builder.build();
            handle = made;
        }
        return made;
    }

    /** The retry loop of the table-level reads, with the handle's timeout and retries. */
    private DynamoDbCalls calls() {
        return new DynamoDbCalls(tableName, new RetryPolicy(retries, Math::random), Sleeper.THREAD, requestTimeout,
                MonotonicClock.SYSTEM, new CheckpointListener() { },
                DynamoDbCalls.retriesOnItsOwn(client));
    }

    /** Builds a {@link LeaseTableAdmin}; the client and the table name are required. */
    public static final class Builder {

        private DynamoDbClient dynamoDbClient;
        private String tableName;
        private @Nullable String consumerGroup;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private int retries = CheckpointConstants.NUM_MAX_RETRIES;

        private Builder() {
        }

        public Builder dynamoDbClient(DynamoDbClient dynamoDbClient) {
            this.dynamoDbClient = dynamoDbClient;
            return this;
        }

        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /** In a table shared by consumer groups, the group to administer; unset for the Go layout. */
        public Builder consumerGroup(@Nullable String consumerGroup) {
            this.consumerGroup = consumerGroup;
            return this;
        }

        /** The most one request may take, each attempt. Default 5 seconds. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Retries of a failed request. Default {@link CheckpointConstants#NUM_MAX_RETRIES}. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** @throws InvalidSettingException naming the first setting missing */
        public LeaseTableAdmin build() {
            if (dynamoDbClient == null) {
                throw new InvalidSettingException("dynamoDbClient", null, "set");
            }
            if (tableName == null || tableName.isBlank()) {
                throw new InvalidSettingException("tableName", tableName, "set");
            }
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            return new LeaseTableAdmin(this);
        }
    }
}
