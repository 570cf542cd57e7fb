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
import java.util.regex.Pattern;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointerStatus;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Checkpointer;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.NoLeaseOwnerException;
import dev.checkpoint.SequenceIdNotFoundException;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardNotAssignedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The {@link Checkpointer} on one DynamoDB table, in the Go library's table format plus a {@code LeaseCounter}.
 * The protocol itself is in {@link LeaseProtocol}. Thread-safe; one instance per worker.
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

    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final String tableName;
    private final String workerId;
    private final Duration leaseDuration;
    private final Duration claimTimeout;
    private final boolean leaseStealing;
    private final MonotonicClock monotonicClock;
    private final LeaseTable table;
    private final LeaseReader reader;
    private final LeaseProtocol protocol;
    private final LeaseObservations observations;
    private final Activity activity;

    private DynamoDbCheckpointer(Builder builder) {
        this.client = builder.dynamoDbClient;
        this.tableName = builder.tableName;
        this.workerId = builder.workerId;
        this.leaseDuration = builder.leaseDuration;
        this.claimTimeout = builder.claimTimeout != null ? builder.claimTimeout : builder.leaseDuration.multipliedBy(3);
        this.leaseStealing = builder.enableLeaseStealing;
        this.monotonicClock = builder.monotonicClock;
        this.calls = new DynamoDbCalls(tableName, new RetryPolicy(builder.retries, builder.random), builder.sleeper,
                builder.requestTimeout, builder.monotonicClock, builder.listener);
        this.activity = new Activity(builder.monotonicClock);
        this.observations = new LeaseObservations(builder.monotonicClock, builder.leaseDuration, claimTimeout);
        this.table = new LeaseTable(client, calls, new TableSettings(tableName, builder.createTable, builder.billingMode,
                builder.readCapacity, builder.writeCapacity, builder.tableActiveTimeout), builder.sleeper,
                builder.monotonicClock);
        this.reader = new LeaseReader(client, calls, tableName, builder.scanPageSize, observations, activity);
        this.protocol = new LeaseProtocol(client, calls, reader, observations, tableName, workerId,
                builder.leaseDuration, builder.enableLeaseStealing, builder.clock, builder.listener, activity);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String getTableName() {
        return tableName;
    }

    public String getWorkerId() {
        return workerId;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    /** How long a claim may stand untaken. */
    public Duration getClaimTimeout() {
        return claimTimeout;
    }

    /** Whether claims are honoured. */
    public boolean isLeaseStealing() {
        return leaseStealing;
    }

    /** The monotonic clock this checkpointer judges expiry by. */
    public MonotonicClock getMonotonicClock() {
        return monotonicClock;
    }

    @Override
    public void init() {
        table.ensureActive();
    }

    /** This worker's own view: the leases it holds, and how recently it scanned and renewed. No request. */
    public CheckpointerStatus status() {
        return new CheckpointerStatus(tableName, workerId, protocol.heldLeases(), activity.sinceLastScan(),
                activity.sinceLastRenewal(), activity.renewalsFailingFor());
    }

    /**
     * The table's status, or {@code null} when it does not exist: one DescribeTable, bounded by the request
     * timeout and not retried, for health checks.
     */
    public TableStatus tableStatus() {
        return table.status();
    }

    @Override
    public void getLease(ShardStatus shard, String newAssignTo) {
        Objects.requireNonNull(shard, "shard");
        requireId(newAssignTo, "newAssignTo");
        protocol.getLease(shard, newAssignTo);
    }

    /**
     * Renews a lease this worker holds, and never takes one: it fails when the row is no longer this worker's as it
     * last took or renewed it (released, taken over, deleted). One conditional write. Gives up, without sending
     * anything more, once {@code timeLeft} has passed: pass the time until the lease runs out, since a renewal that
     * lands after that is worth nothing.
     *
     * @throws ShardClaimedException when another worker's claim stands: check point and release, to hand it over
     * @throws LeaseNotAcquiredException when the lease is no longer this worker's
     * @throws CheckpointStoreException when DynamoDB did not answer within {@code timeLeft} and the retries
     */
    public void renewLease(ShardStatus shard, Duration timeLeft) {
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(timeLeft, "timeLeft");
        protocol.renew(shard, monotonicClock.nanoTime() + timeLeft.toNanos());
    }

    @Override
    public void checkpointSequence(ShardStatus shard) {
        Objects.requireNonNull(shard, "shard");
        protocol.checkpoint(shard);
    }

    @Override
    public void fetchCheckpoint(ShardStatus shard) {
        Objects.requireNonNull(shard, "shard");
        Observation row = reader.read(shard.getId());
        if (row == null || row.lease().checkpoint() == null) {
            throw new SequenceIdNotFoundException(shard.getId());
        }
        shard.update(row.lease());
    }

    @Override
    public void removeLeaseInfo(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        calls.execute(CheckpointOperation.DELETE_LEASE, shardId, () -> client.deleteItem(DeleteItemRequest.builder()
                .tableName(tableName).key(LeaseSerializer.key(shardId))
                .overrideConfiguration(calls.requestOverrides()).build()));
        observations.forget(shardId);
    }

    /**
     * Creates the shard's row, with no owner, unless it exists: so that a new shard is listed before anybody
     * takes it. One conditional PutItem; an existing row is left as it is.
     */
    public void createLeaseIfMissing(String shardId, String parentShardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        Map<String, AttributeValue> item = new HashMap<>(LeaseSerializer.key(shardId));
        if (parentShardId != null) {
            item.put(CheckpointConstants.PARENT_SHARD_ID_KEY, LeaseSerializer.string(parentShardId));
        }
        PutItemRequest request = PutItemRequest.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", CheckpointConstants.LEASE_KEY_KEY))
                .overrideConfiguration(calls.requestOverrides()).build();
        try {
            calls.execute(CheckpointOperation.CREATE_LEASE, shardId, () -> client.putItem(request));
        }
        catch (ConditionalCheckFailedException exists) {
            // another worker created it first, or took it: either way the row is there
        }
    }

    @Override
    public void removeLeaseOwner(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        protocol.release(shardId);
    }

    @Override
    public String getLeaseOwner(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        Observation row = reader.read(shardId);
        if (row == null || !row.lease().isOwned()) {
            throw new NoLeaseOwnerException(shardId);
        }
        return row.lease().owner();
    }

    @Override
    public Map<String, List<ShardStatus>> listActiveWorkers(Map<String, ShardStatus> shards) {
        Objects.requireNonNull(shards, "shards");
        Map<String, Lease> rows = new HashMap<>();
        for (Lease lease : reader.scan()) {
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
        return reader.scan();
    }

    /** The shard's row, read consistently, or {@code null} when there is none. One GetItem. */
    public Lease findLease(String shardId) {
        ShardStatus.requireShardId(shardId, "shardId");
        Observation row = reader.read(shardId);
        return row == null ? null : row.lease();
    }

    /**
     * How long this worker has seen the lease unchanged (same owner, counter and timeout), by its own clock, or
     * {@code null} for a lease it has not seen. For a live lease, about the time since its last renewal.
     */
    public Duration unchangedFor(String shardId) {
        Observation seen = observations.get(shardId);
        return seen == null ? null : Duration.ofNanos(observations.now() - seen.sinceNanos());
    }

    /**
     * Whether this worker judges the lease expired: it has seen the same owner and counter for longer than
     * the lease duration, by its own monotonic clock. {@code false} for an unowned lease and for a lease it
     * has not seen.
     */
    public boolean isExpired(String shardId) {
        Observation seen = observations.get(shardId);
        return seen != null && observations.isExpired(seen, observations.now());
    }

    private static void requireId(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be null or blank");
        }
    }

    /** Builds a {@link DynamoDbCheckpointer}. {@code dynamoDbClient}, {@code tableName} and {@code workerId} are required. */
    public static final class Builder {

        private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

        private DynamoDbClient dynamoDbClient;
        private String tableName;
        private String workerId;
        private Duration leaseDuration = CheckpointConstants.DEFAULT_LEASE_DURATION;
        private int retries = CheckpointConstants.NUM_MAX_RETRIES;
        private boolean enableLeaseStealing;
        private Duration claimTimeout;
        private boolean createTable = true;
        private BillingMode billingMode = BillingMode.PAY_PER_REQUEST;
        private long readCapacity;
        private long writeCapacity;
        private Duration requestTimeout = Duration.ofSeconds(2);
        private Duration tableActiveTimeout = Duration.ofMinutes(2);
        private Integer scanPageSize;
        private Clock clock = Clock.systemUTC();
        private MonotonicClock monotonicClock = MonotonicClock.SYSTEM;
        private Sleeper sleeper = Sleeper.THREAD;
        private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
        private CheckpointListener listener = new CheckpointListener() { };

        private Builder() {
        }

        /** The AWS SDK v2 client to use. Its own retries are switched off per request; {@link #retries} governs. */
        public Builder dynamoDbClient(DynamoDbClient dynamoDbClient) {
            this.dynamoDbClient = dynamoDbClient;
            return this;
        }

        /** The lease table: 3 to 255 characters of {@code a-z A-Z 0-9 _ . -}. */
        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

        /** This worker's id, unique among the workers sharing the table. */
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

        /** The timeout of each DynamoDB request. Default 2 seconds. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
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

        /** @throws IllegalArgumentException naming the first setting that is missing or out of range */
        public DynamoDbCheckpointer build() {
            require(dynamoDbClient != null, "dynamoDbClient is required");
            require(tableName != null && TABLE_NAME.matcher(tableName).matches(),
                    "tableName must be 3 to 255 characters of a-z, A-Z, 0-9, '_', '.' and '-', was " + quoted(tableName));
            require(workerId != null && !workerId.isBlank(), "workerId must not be null or blank");
            requirePositive(leaseDuration, "leaseDuration");
            require(retries >= 0, "retries must be 0 or more, was " + retries);
            if (claimTimeout != null) {
                requirePositive(claimTimeout, "claimTimeout");
            }
            require(billingMode != BillingMode.PROVISIONED || (readCapacity > 0 && writeCapacity > 0),
                    "provisioned capacity must be positive, was read " + readCapacity + ", write " + writeCapacity);
            requirePositive(requestTimeout, "requestTimeout");
            requirePositive(tableActiveTimeout, "tableActiveTimeout");
            require(scanPageSize == null || scanPageSize > 0, "scanPageSize must be positive, was " + scanPageSize);
            require(clock != null, "clock must not be null");
            require(monotonicClock != null, "monotonicClock must not be null");
            require(listener != null, "listener must not be null");
            return new DynamoDbCheckpointer(this);
        }

        private static void requirePositive(Duration value, String name) {
            require(value != null && value.compareTo(Duration.ZERO) > 0, name + " must be positive, was " + value);
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }

        private static String quoted(String value) {
            return value == null ? "null" : "'" + value + "'";
        }
    }
}
