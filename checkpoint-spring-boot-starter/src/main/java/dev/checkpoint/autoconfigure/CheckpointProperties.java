package dev.checkpoint.autoconfigure;

import java.time.Duration;

import dev.checkpoint.RenewalMode;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of checkpoint: leases and checkpoints of stream shards, kept in a DynamoDB table.
 */
@ConfigurationProperties("checkpoint")
public class CheckpointProperties {

    /**
     * Lease table: 3 to 255 characters of a-z, A-Z, 0-9, '_', '.' and '-'. Defaults to spring.application.name.
     */
    private @Nullable String tableName;

    /**
     * Shares the lease table with other applications and streams: this application's consumer group. The table is then
     * keyed by ConsumerGroup (hash) and ShardID (range); each group sees, balances and claims only its own rows, and is
     * bound to one stream (a stream created again, or another application with the same group name, stops start-up).
     * Not set: the Go library's layout, one application per table.
     */
    private @Nullable String consumerGroup;

    /**
     * How leases are kept alive. "lease": each lease renewed with a write of its own, every renew interval (the Go
     * library's and the KCL's way; writes grow with the shards). "worker": each worker renews one heartbeat row of its
     * own, whatever number of leases it holds (writes grow with the workers; same failover time and fencing). Every
     * worker of a table must use the same mode: one of the other mode stops at start-up. Set worker-id to something
     * stable (a pod's name) so that a restarted worker takes its own leases back at once.
     */
    private RenewalMode renewalMode = RenewalMode.LEASE;

    /**
     * This worker's id, unique among the workers that share the table. Defaults to the host name plus a short
     * random suffix, fixed for the life of the process.
     */
    private @Nullable String workerId;

    /**
     * How long a lease lasts without renewal: the failover time. Another worker takes a lease over once it has
     * seen it unchanged for this long, by its own clock.
     */
    private Duration leaseDuration = Duration.ofSeconds(10);

    /**
     * Most retries of one DynamoDB request after throttling or a transient error, with exponential backoff and
     * jitter.
     */
    private int retries = 10;

    /**
     * Timeout of each DynamoDB request; shorter than the lease duration. Default 2 seconds, or half the lease duration
     * when that is shorter.
     */
    private @Nullable Duration requestTimeout;

    /**
     * Whether a missing lease table is created.
     */
    private boolean createTable = true;

    /**
     * When the lease table is checked and, if allowed, created: at start-up, which then fails when DynamoDB
     * cannot be reached, or in the background after start-up, with health DOWN until it succeeds.
     */
    private TableInitialization tableInitialization = TableInitialization.STARTUP;

    /**
     * Billing mode of a created table.
     */
    private BillingMode billingMode = BillingMode.PAY_PER_REQUEST;

    /**
     * Read capacity units of a created table. Required with provisioned billing, and only then.
     */
    private @Nullable Long readCapacity;

    /**
     * Write capacity units of a created table. Required with provisioned billing, and only then.
     */
    private @Nullable Long writeCapacity;

    private final LeaseStealing leaseStealing = new LeaseStealing();

    private final Dynamodb dynamodb = new Dynamodb();

    private final Coordinator coordinator = new Coordinator();

    public @Nullable String getTableName() {
        return tableName;
    }

    public void setTableName(@Nullable String tableName) {
        this.tableName = tableName;
    }

    public @Nullable String getConsumerGroup() {
        return consumerGroup;
    }

    public void setConsumerGroup(@Nullable String consumerGroup) {
        this.consumerGroup = consumerGroup;
    }

    public RenewalMode getRenewalMode() {
        return renewalMode;
    }

    public void setRenewalMode(RenewalMode renewalMode) {
        this.renewalMode = renewalMode;
    }

    public @Nullable String getWorkerId() {
        return workerId;
    }

    public void setWorkerId(@Nullable String workerId) {
        this.workerId = workerId;
    }

    public Duration getLeaseDuration() {
        return leaseDuration;
    }

    public void setLeaseDuration(Duration leaseDuration) {
        this.leaseDuration = leaseDuration;
    }

    public int getRetries() {
        return retries;
    }

    public void setRetries(int retries) {
        this.retries = retries;
    }

    public @Nullable Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(@Nullable Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public boolean isCreateTable() {
        return createTable;
    }

    public void setCreateTable(boolean createTable) {
        this.createTable = createTable;
    }

    public TableInitialization getTableInitialization() {
        return tableInitialization;
    }

    public void setTableInitialization(TableInitialization tableInitialization) {
        this.tableInitialization = tableInitialization;
    }

    public BillingMode getBillingMode() {
        return billingMode;
    }

    public void setBillingMode(BillingMode billingMode) {
        this.billingMode = billingMode;
    }

    public @Nullable Long getReadCapacity() {
        return readCapacity;
    }

    public void setReadCapacity(@Nullable Long readCapacity) {
        this.readCapacity = readCapacity;
    }

    public @Nullable Long getWriteCapacity() {
        return writeCapacity;
    }

    public void setWriteCapacity(@Nullable Long writeCapacity) {
        this.writeCapacity = writeCapacity;
    }

    public LeaseStealing getLeaseStealing() {
        return leaseStealing;
    }

    public Dynamodb getDynamodb() {
        return dynamodb;
    }

    public Coordinator getCoordinator() {
        return coordinator;
    }

    /** When the lease table is checked and created. */
    public enum TableInitialization {
        /** At start-up: start-up fails when the table is missing, wrong or unreachable. */
        STARTUP,
        /** In the background after start-up, retried until it succeeds; health is DOWN meanwhile. */
        DEFERRED
    }

    /** Billing mode of a created table. */
    public enum BillingMode {
        /** On-demand capacity. */
        PAY_PER_REQUEST,
        /** Provisioned capacity: set checkpoint.read-capacity and checkpoint.write-capacity. */
        PROVISIONED
    }

    /** Lease stealing: how workers balance the shards between them. */
    public static class LeaseStealing {

        /**
         * Whether claims are honoured, so that a worker with fewer leases than its fair share can ask a busier
         * one to hand a shard over. The Go library this table format comes from defaulted to false.
         */
        private boolean enabled = true;

        /**
         * How long a claim may stand untaken before other workers ignore it. Defaults to three lease durations.
         */
        private @Nullable Duration claimTimeout;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Duration getClaimTimeout() {
            return claimTimeout;
        }

        public void setClaimTimeout(@Nullable Duration claimTimeout) {
            this.claimTimeout = claimTimeout;
        }
    }

    /**
     * The DynamoDB client built when the application has none: its endpoint, region and credentials; unset, Spring Cloud
     * AWS's region and credentials beans when present, then the AWS SDK's default chains.
     */
    public static class Dynamodb extends AwsClientProperties {

        /** The AWS SDK's default pool of a synchronous client. */
        static final int SDK_DEFAULT_MAX_CONNECTIONS = 50;

        /**
         * Most connections of the starter's own DynamoDB client for checkpoints, syncs, takes and releases. Defaults to
         * 50 (the AWS SDK's default pool). Renewals and heartbeats have a client of their own beside it, with a
         * connection for every renewal thread (checkpoint.coordinator.max-renewal-threads), so that they never wait
         * behind checkpoints. Not used with the application's own client, whose pool the application sizes and
         * renewals share.
         */
        private @Nullable Integer maxConnections;

        public @Nullable Integer getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(@Nullable Integer maxConnections) {
            this.maxConnections = maxConnections;
        }

        /**
         * The pool of the starter's own client of checkpoints, syncs and takes: as set, else the SDK's 50. Renewals have
         * a client of their own, with a connection for every renewal thread.
         */
        int maxConnections() {
            if (maxConnections != null && maxConnections < 1) {
                throw new InvalidCheckpointPropertyException("checkpoint.dynamodb.max-connections", maxConnections,
                        "a client needs at least one connection", "Set it to 1 or more, or leave it unset for 50.");
            }
            return maxConnections != null ? maxConnections : SDK_DEFAULT_MAX_CONNECTIONS;
        }
    }

    /** The lease coordinator, run when the application defines a ShardSource bean. */
    public static class Coordinator {

        /**
         * How often held leases are renewed. Must be below half the lease duration. Defaults to a third of it.
         */
        private @Nullable Duration renewInterval;

        /**
         * How often the shards and the lease table are read, to take free and expired leases, balance, and
         * clean up.
         */
        private Duration syncInterval = Duration.ofSeconds(10);

        /**
         * Most leases this worker holds, whatever its fair share. Defaults to no limit.
         */
        private @Nullable Integer maxLeasesForWorker;

        /**
         * Most shards claimed from busier workers in one sync.
         */
        private int maxLeasesToStealAtOneTime = 4;

        /**
         * How long the listener gets to finish and checkpoint a lease that is ending (at shutdown, or handed to a
         * claimant) before it is released anyway.
         */
        private Duration shutdownGrace = Duration.ofSeconds(10);

        /**
         * Most threads that renew leases (or send heartbeats) at once: the renewals' budget of connections, to keep
         * below the DynamoDB client's connection pool. Renewals have threads of their own, never shared with
         * processors, checkpoints or reads; the pool grows with the leases held, one thread for every 25, from 8 up to
         * this. Virtual threads when the application runs on them (spring.threads.virtual.enabled, Java 21 and later).
         */
        private int maxRenewalThreads = 64;

        public int getMaxRenewalThreads() {
            return maxRenewalThreads;
        }

        public void setMaxRenewalThreads(int maxRenewalThreads) {
            this.maxRenewalThreads = maxRenewalThreads;
        }

        public @Nullable Duration getRenewInterval() {
            return renewInterval;
        }

        public void setRenewInterval(@Nullable Duration renewInterval) {
            this.renewInterval = renewInterval;
        }

        public Duration getSyncInterval() {
            return syncInterval;
        }

        public void setSyncInterval(Duration syncInterval) {
            this.syncInterval = syncInterval;
        }

        public @Nullable Integer getMaxLeasesForWorker() {
            return maxLeasesForWorker;
        }

        public void setMaxLeasesForWorker(@Nullable Integer maxLeasesForWorker) {
            this.maxLeasesForWorker = maxLeasesForWorker;
        }

        public int getMaxLeasesToStealAtOneTime() {
            return maxLeasesToStealAtOneTime;
        }

        public void setMaxLeasesToStealAtOneTime(int maxLeasesToStealAtOneTime) {
            this.maxLeasesToStealAtOneTime = maxLeasesToStealAtOneTime;
        }

        public Duration getShutdownGrace() {
            return shutdownGrace;
        }

        public void setShutdownGrace(Duration shutdownGrace) {
            this.shutdownGrace = shutdownGrace;
        }
    }
}
