package dev.checkpoint.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointListener;
import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.Checkpointer;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.NoLeaseOwnerException;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.SequenceIdNotFoundException;
import dev.checkpoint.ShardNotAssignedException;
import dev.checkpoint.ShardStatus;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;

/**
 * The {@link Checkpointer} on one DynamoDB table, in the Go library's table format plus a {@code LeaseCounter}: the
 * seed's API, for applications that run their own loop. {@link #leaseStore()} is the same table as a
 * {@link LeaseStore}, for the {@code LeaseCoordinator}. The protocol itself is in {@link LeaseProtocol}. Thread-safe;
 * one instance per worker.
 *
 * <pre>{@code
 * DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
 *         .dynamoDbClient(client)
 *         .tableName("orders-consumer")
 *         .workerId("worker-1")
 *         .build();
 * checkpointer.init();
 * }</pre>
 */
public final class DynamoDbCheckpointer implements Checkpointer {

    private final DynamoDbLeaseStore store;
    private final LeaseProtocol protocol;

    private DynamoDbCheckpointer(Builder builder) {
        this.store = StoreAssembly.assemble(builder);
        this.protocol = store.protocol();
    }

    public static Builder builder() {
        return new Builder();
    }

    public String getTableName() {
        return store.tableName();
    }

    public String getWorkerId() {
        return store.workerId();
    }

    public Duration getLeaseDuration() {
        return store.leaseDuration();
    }

    /** The protocol itself, for {@link LeaseTableAdmin}. */
    LeaseProtocol protocol() {
        return protocol;
    }

    /** The store, as its implementation, for {@link LeaseTableAdmin}'s reads of the table itself. */
    DynamoDbLeaseStore dynamoDbStore() {
        return store;
    }

    /**
     * The same table and worker as a {@link LeaseStore}: what the {@code LeaseCoordinator} and the Spring Boot starter
     * use. It shares this checkpointer's observations, so either may be used beside the other.
     */
    @Override
    public LeaseStore leaseStore() {
        return store;
    }

    @Override
    public void init() {
        store.init();
    }

    /**
     * Takes or renews, as the Go library did, built on the lease store's two operations: a lease this worker holds as
     * {@code shard} says (same owner and counter as last seen) is renewed; anything else is taken, when it may be.
     */
    @Override
    public void getLease(ShardStatus shard, String newAssignTo) {
        Objects.requireNonNull(shard, "shard");
        requireId(newAssignTo, "newAssignTo");
        protocol.getLease(shard, newAssignTo);
    }

    @Override
    public void checkpointSequence(ShardStatus shard) {
        Objects.requireNonNull(shard, "shard");
        protocol.checkpoint(shard, null);
    }

    @Override
    public void fetchCheckpoint(ShardStatus shard) {
        Objects.requireNonNull(shard, "shard");
        Lease row = store.find(shard.getId());
        if (row == null || row.checkpoint() == null) {
            throw new SequenceIdNotFoundException(shard.getId());
        }
        shard.update(row);
    }

    @Override
    public void removeLeaseInfo(String shardId) {
        store.remove(shardId);
    }

    @Override
    public void removeLeaseOwner(String shardId) {
        store.release(shardId);
    }

    @Override
    public String getLeaseOwner(String shardId) {
        Lease row = store.find(shardId);
        if (row == null || !row.isOwned()) {
            throw new NoLeaseOwnerException(shardId);
        }
        return row.owner();
    }

    @Override
    public Map<String, List<ShardStatus>> listActiveWorkers(Map<String, ShardStatus> shards) {
        Objects.requireNonNull(shards, "shards");
        Map<String, Lease> rows = new HashMap<>();
        for (Lease lease : store.scan()) {
            rows.put(lease.shardId(), lease);
        }
        Map<String, List<ShardStatus>> workers = new HashMap<>();
        for (ShardStatus shard : shards.values()) {
            Lease row = rows.get(shard.getId());
            if (row != null) {
                shard.update(row);
            }
            if (CheckpointConstants.SHARD_END.equals(shard.getCheckpoint())) {
                continue;
            }
            if (row == null || !row.isOwned()) {
                throw new ShardNotAssignedException(shard.getId());
            }
            workers.computeIfAbsent(row.owner(), owner -> new ArrayList<>()).add(shard);
        }
        return workers;
    }

    @Override
    public void claimShard(ShardStatus shard, String claimId) {
        Objects.requireNonNull(shard, "shard");
        requireId(claimId, "claimId");
        protocol.claim(shard, claimId);
    }

    @Override
    public List<Lease> listLeases() {
        return store.scan();
    }

    private static void requireId(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be null or blank");
        }
    }

    /** Builds a {@link DynamoDbCheckpointer}. {@code dynamoDbClient}, {@code tableName} and {@code workerId} are required. */
    public static final class Builder {

        private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

        DynamoDbClient dynamoDbClient;
        DynamoDbClient renewalClient;
        String tableName;
        String workerId;
        Duration leaseDuration = CheckpointConstants.DEFAULT_LEASE_DURATION;
        int retries = CheckpointConstants.NUM_MAX_RETRIES;
        boolean enableLeaseStealing;
        Duration claimTimeout;
        boolean createTable = true;
        BillingMode billingMode = BillingMode.PAY_PER_REQUEST;
        long readCapacity;
        long writeCapacity;
        Duration requestTimeout;
        Duration tableActiveTimeout = Duration.ofMinutes(2);
        TableOptions tableOptions = TableOptions.DEFAULTS;
        Integer scanPageSize;
        String consumerGroup;
        RenewalMode renewalMode = RenewalMode.LEASE;
        Clock clock = Clock.systemUTC();
        MonotonicClock monotonicClock = MonotonicClock.SYSTEM;
        Sleeper sleeper = Sleeper.THREAD;
        DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        CheckpointListener listener = new CheckpointListener() { };

        private Builder() {
        }

        /**
         * The AWS SDK v2 client to use. {@link #retries} governs: a client that retries on its own has that switched off
         * on every request, which costs the SDK some work per request; one built without retries
         * ({@code overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))}, as the starter builds its
         * own) is used as it is.
         */
        public Builder dynamoDbClient(DynamoDbClient dynamoDbClient) {
            this.dynamoDbClient = dynamoDbClient;
            return this;
        }

        /**
         * A second client, for renewals and heartbeats alone: connections of their own, so that a renewal never waits
         * for a connection behind checkpoints, syncs and takes, however many of those are under way. Give it a
         * connection for every renewal thread ({@code LeaseCoordinator.Builder.maxRenewalThreads}); one too small is
         * reported once, as a warning. Not set: renewals share {@link #dynamoDbClient}, which then needs that many
         * connections and room for the rest. The checkpointer closes neither client.
         */
        public Builder renewalClient(DynamoDbClient renewalClient) {
            this.renewalClient = renewalClient;
            return this;
        }

        /** The lease table: 3 to 255 characters of {@code a-z A-Z 0-9 _ . -}. */
        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /**
         * Shares the table with other consumer groups (applications, streams): this worker's group. The table's hash key
         * is then {@code ConsumerGroup} and its range key {@code ShardID}; each group reads only its own rows (a Query),
         * balances among its own workers, and is bound to one stream. Not set: the Go library's layout, one group per
         * table. A table is in one layout; the other is refused at start-up.
         */
        public Builder consumerGroup(String consumerGroup) {
            this.consumerGroup = consumerGroup;
            return this;
        }

        /**
         * How leases are kept alive: {@link RenewalMode#LEASE} (the default: each lease renewed, the Go library's way)
         * or {@link RenewalMode#WORKER} (one heartbeat row per worker, for the {@code LeaseCoordinator}). Every worker
         * of a table must use the same; a worker of the other mode is refused.
         */
        public Builder renewalMode(RenewalMode renewalMode) {
            this.renewalMode = renewalMode;
            return this;
        }

        /**
         * This worker's id, unique among the workers running on the table. Keep it across restarts (a pod's name, say):
         * in worker renewal mode, a restarted worker then takes its own leases back at once.
         */
        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        /**
         * How long a lease lasts without renewal: the failover time. Another worker takes a lease over once it
         * has seen it unchanged for this long. Default 10 seconds.
         */
        public Builder leaseDuration(Duration leaseDuration) {
            this.leaseDuration = leaseDuration;
            return this;
        }

        /** The most retries of one DynamoDB request after throttling or a transient error. Default 10. */
        public Builder retries(int retries) {
            this.retries = retries;
            return this;
        }

        /** Whether claims are honoured (lease stealing). Default {@code false}, as in the Go library. */
        public Builder enableLeaseStealing(boolean enableLeaseStealing) {
            this.enableLeaseStealing = enableLeaseStealing;
            return this;
        }

        /** How long a claim may stand untaken before others ignore it. Default three lease durations. */
        public Builder claimTimeout(Duration claimTimeout) {
            this.claimTimeout = claimTimeout;
            return this;
        }

        /** Whether {@link #init()} creates a missing table. Default {@code true}. */
        public Builder createTable(boolean createTable) {
            this.createTable = createTable;
            return this;
        }

        /** Creates the table with on-demand capacity (the default). */
        public Builder payPerRequest() {
            this.billingMode = BillingMode.PAY_PER_REQUEST;
            return this;
        }

        /** Creates the table with provisioned capacity: both values must be positive. */
        public Builder provisioned(long readCapacity, long writeCapacity) {
            this.billingMode = BillingMode.PROVISIONED;
            this.readCapacity = readCapacity;
            this.writeCapacity = writeCapacity;
            return this;
        }

        /**
         * The timeout of each DynamoDB request; shorter than the lease duration. Default 2 seconds, or half the lease
         * duration when that is shorter.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        Duration requestTimeout() {
            if (requestTimeout != null) {
                return requestTimeout;
            }
            Duration halfLease = leaseDuration.dividedBy(2);
            return halfLease.compareTo(DEFAULT_REQUEST_TIMEOUT) < 0 ? halfLease : DEFAULT_REQUEST_TIMEOUT;
        }

        /** Tags, deletion protection, encryption and backups of a table {@link #init()} creates. Default: DynamoDB's. */
        public Builder tableOptions(TableOptions tableOptions) {
            this.tableOptions = tableOptions;
            return this;
        }

        /** How long {@link #init()} waits for the table to become ACTIVE. Default 2 minutes. */
        public Builder tableActiveTimeout(Duration tableActiveTimeout) {
            this.tableActiveTimeout = tableActiveTimeout;
            return this;
        }

        /** The most rows one Scan page returns. Default: DynamoDB's own limit of 1 MB a page. */
        public Builder scanPageSize(int scanPageSize) {
            this.scanPageSize = scanPageSize;
            return this;
        }

        /** The wall clock, used only for the {@code LeaseTimeout} written for people. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** The monotonic clock by which expiry is judged. Default {@link System#nanoTime()}. */
        public Builder monotonicClock(MonotonicClock monotonicClock) {
            this.monotonicClock = monotonicClock;
            return this;
        }

        /** Told of every request, lease change and checkpoint, for metrics. Default: none. */
        public Builder listener(CheckpointListener listener) {
            this.listener = listener;
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        Builder random(DoubleSupplier random) {
            this.random = random;
            return this;
        }

        /** @throws InvalidSettingException naming the first setting that is missing or out of range */
        public DynamoDbCheckpointer build() {
            BuilderValidation.validate(this);
            return new DynamoDbCheckpointer(this);
        }
    }
}
