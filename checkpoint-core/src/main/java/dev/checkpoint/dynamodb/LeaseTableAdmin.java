package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.Lease;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.ResetRequest;
import dev.checkpoint.Resets;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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
    /** A per-lease handle, which reads any table: its mode row, its key schema, its rows. */
    private final DynamoDbCheckpointer reader;
    private volatile @Nullable DynamoDbCheckpointer handle;

    private LeaseTableAdmin(Builder builder) {
        this.client = builder.dynamoDbClient;
        this.tableName = builder.tableName;
        this.consumerGroup = builder.consumerGroup;
        this.requestTimeout = builder.requestTimeout;
        this.retries = builder.retries;
        this.reader = checkpointer(RenewalMode.LEASE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The table's renewal mode, from its {@code #mode} row: one consistent GetItem. */
    public RenewalMode renewalMode() {
        return reader.dynamoDbStore().tableRenewalMode();
    }

    /** The table's key layout, from its key schema: one DescribeTable. */
    public Layout layout() {
        return reader.dynamoDbStore().isTableSharedByGroups() ? Layout.SHARED : Layout.SINGLE_GROUP;
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

    /** The handle in the table's mode, made at first use: the reader itself for a per-lease table. */
    private DynamoDbCheckpointer handle() {
        DynamoDbCheckpointer made = handle;
        if (made == null) {
            made = renewalMode() == RenewalMode.WORKER ? checkpointer(RenewalMode.WORKER) : reader;
            handle = made;
        }
        return made;
    }

    private DynamoDbCheckpointer checkpointer(RenewalMode mode) {
        DynamoDbCheckpointer.Builder builder = DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(tableName)
                .workerId(OPERATOR).renewalMode(mode).requestTimeout(requestTimeout).retries(retries);
        if (consumerGroup != null) {
            builder.consumerGroup(consumerGroup);
        }
        return builder.build();
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
