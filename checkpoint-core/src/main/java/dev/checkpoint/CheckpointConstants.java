package dev.checkpoint;

import java.time.Duration;

/**
 * Names and values shared with the Go library the table format comes from. A table written by either
 * library can be read by the other.
 */
public final class CheckpointConstants {

    /** Hash key of the lease table: the shard id. */
    public static final String LEASE_KEY_KEY = "ShardID";

    /**
     * In a table shared by consumer groups, its hash key: the group (the application) a row belongs to; {@code ShardID}
     * is then the range key. Absent from the Go library's layout.
     */
    public static final String CONSUMER_GROUP_KEY = "ConsumerGroup";

    /**
     * In a table shared by consumer groups, the identity of the stream the group consumes (for Kinesis, its ARN and
     * creation time), on every row of the group: a worker of the group reading another stream, or a stream deleted and
     * created again under the same name, is refused.
     */
    public static final String STREAM_IDENTITY_KEY = "StreamIdentity";

    /** The worker that owns the lease; absent when nobody does. */
    public static final String LEASE_OWNER_KEY = "AssignedTo";

    /**
     * When the lease expires by its owner's wall clock: UTC, RFC 3339 with nanoseconds. Written for people
     * and for the Go library; this library judges expiry by local observation of {@link #LEASE_COUNTER_KEY}.
     */
    public static final String LEASE_TIMEOUT_KEY = "LeaseTimeout";

    /** The last processed sequence number, or {@link #SHARD_END}. */
    public static final String SEQUENCE_NUMBER_KEY = "Checkpoint";

    /**
     * Where inside an aggregated record (the KPL's) the checkpoint is: the index of the last user record processed
     * in the record of {@link #SEQUENCE_NUMBER_KEY}. Written only for such checkpoints, beside {@code Checkpoint}, so
     * that the Go library's format stays readable; a row without it checkpoints the whole record.
     */
    public static final String CHECKPOINT_SUB_SEQUENCE_KEY = "CheckpointSubSequenceNumber";

    /** The parent shard's id, written only for shards that have one. */
    public static final String PARENT_SHARD_ID_KEY = "ParentShardId";

    /** The id of a worker that asked to take this shard over (lease stealing). */
    public static final String CLAIM_REQUEST_KEY = "ClaimRequest";

    /**
     * The fencing token: a number incremented by every change of ownership and every renewal, each a
     * conditional write on the value last seen. Added by this library; rows without it are read as 0.
     */
    public static final String LEASE_COUNTER_KEY = "LeaseCounter";

    /**
     * A reset an operator asked for and no take has applied yet: the {@link StartingPosition} as text. While it
     * stands, renewals and checkpoints are refused; the next take applies it. Written with {@link #RESET_ID_KEY},
     * {@link #RESET_REQUESTED_BY_KEY} and {@link #RESET_REQUESTED_AT_KEY}, and removed with them.
     */
    public static final String RESET_TO_KEY = "ResetTo";

    /** Identifies the pending reset: a take applies it only on condition that it is still the one seen. */
    public static final String RESET_ID_KEY = "ResetId";

    /** Who asked for the pending reset. */
    public static final String RESET_REQUESTED_BY_KEY = "ResetRequestedBy";

    /** When the pending reset was asked for: UTC, RFC 3339. */
    public static final String RESET_REQUESTED_AT_KEY = "ResetRequestedAt";

    /**
     * Where processing starts while the row has no {@link #SEQUENCE_NUMBER_KEY}: the {@link StartingPosition} of the
     * last reset applied, as text. Removed by the first checkpoint after it.
     */
    public static final String STARTING_POSITION_KEY = "StartingPosition";

    /**
     * In worker renewal mode ({@link RenewalMode#WORKER}), the epoch of the owner's process when it took the lease: its
     * heartbeat row keeps the lease alive while it carries the same epoch.
     */
    public static final String OWNER_EPOCH_KEY = "OwnerEpoch";

    /** In worker renewal mode, on a worker's heartbeat row: the epoch of the process now running under its id. */
    public static final String WORKER_EPOCH_KEY = "WorkerEpoch";

    /** On a heartbeat row: the heartbeat's fencing token, moved by each heartbeat. */
    public static final String HEARTBEAT_COUNTER_KEY = "HeartbeatCounter";

    /** On a heartbeat row: when the last heartbeat was sent, by the worker's wall clock; for display only. */
    public static final String HEARTBEAT_AT_KEY = "HeartbeatAt";

    /**
     * On a lease row (per-lease mode) or a heartbeat row (worker mode): the shards a stopping worker released for this
     * row's owner to take at once (a string set). The owner's next renewal of the row, or its next heartbeat, reads
     * and clears it.
     */
    public static final String HANDED_OVER_KEY = "HandedOver";

    /** On a heartbeat row: the shards other workers claim from it, each with the claimant. */
    public static final String CLAIMS_KEY = "Claims";

    /** On a heartbeat row: the shards of it an operator reset, each with the reset's id. */
    public static final String RESETS_KEY = "Resets";

    /** On a heartbeat row whose worker was judged dead: the worker that judged it. */
    public static final String EXPIRED_BY_KEY = "ExpiredBy";

    /**
     * On a heartbeat row: how many times the worker has changed which leases it holds (takes, releases) or which rows
     * there are (created, deleted), as of its last heartbeat. Other workers scan the whole table only when it moved.
     */
    public static final String LEASE_CHANGES_KEY = "LeaseChanges";

    /** On the table's mode row: the renewal mode of its workers, {@code worker} (no row: per lease). */
    public static final String RENEWAL_MODE_KEY = "RenewalMode";

    /** On the table's mode row: moved when a worker joins or leaves, or a free lease is reset. */
    public static final String TABLE_CHANGES_KEY = "TableChanges";

    /** Checkpoint value of a shard whose records have all been processed. */
    public static final String SHARD_END = "SHARD_END";

    /** Default bound on the retries of one DynamoDB call. */
    public static final int NUM_MAX_RETRIES = 10;

    /** The message of {@link ShardClaimedException}, as the Go library words it. */
    public static final String ERR_SHARD_CLAIMED = "shard is already claimed by another node";

    /** The longest shard id, in bytes of UTF-8: DynamoDB's limit for a partition key. */
    public static final int MAX_SHARD_ID_BYTES = 2048;

    /** Lease duration used when none is configured: the failover time. */
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(10);

    private CheckpointConstants() {
    }
}
