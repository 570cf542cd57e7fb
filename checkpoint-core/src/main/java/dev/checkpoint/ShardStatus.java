package dev.checkpoint;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a worker knows of one shard: its lease and its progress. Mutable and thread-safe: a consumer thread
 * may set the checkpoint while the coordinator renews the lease.
 */
public final class ShardStatus {

    private final String id;
    private @Nullable String parentShardId;
    private @Nullable String checkpoint;
    private @Nullable Long checkpointSubSequenceNumber;
    private @Nullable String leaseOwner;
    private @Nullable Instant leaseTimeout;
    private @Nullable Long leaseCounter;
    private @Nullable String startingSequenceNumber;
    private @Nullable String endingSequenceNumber;
    private @Nullable String claimRequest;
    private @Nullable StartingPosition startingPosition;
    private @Nullable PendingReset pendingReset;

    public ShardStatus(String id) {
        this.id = requireShardId(id, "shard id");
    }

    /**
     * {@code id}, when it can be a shard id: not blank, at most {@link CheckpointConstants#MAX_SHARD_ID_BYTES} bytes of
     * UTF-8, and none of the keys of the table's own rows ({@code #group}, {@code #mode}, {@code #worker#...}).
     *
     * @throws IllegalArgumentException naming {@code name} and the limit
     */
    public static String requireShardId(String id, String name) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(name + " must not be null or blank");
        }
        if (id.equals("#group") || id.equals("#mode") || id.startsWith("#worker#")) {
            throw new IllegalArgumentException(name + " " + id + " is reserved for the lease table's own rows");
        }
        int bytes = id.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > CheckpointConstants.MAX_SHARD_ID_BYTES) {
            throw new IllegalArgumentException(name + " is " + bytes + " bytes in UTF-8, longer than the "
                    + CheckpointConstants.MAX_SHARD_ID_BYTES + " bytes DynamoDB allows for a key: "
                    + id.substring(0, 40) + "...");
        }
        return id;
    }

    public String getId() {
        return id;
    }

    public synchronized @Nullable String getParentShardId() {
        return parentShardId;
    }

    public synchronized void setParentShardId(@Nullable String parentShardId) {
        this.parentShardId = parentShardId;
    }

    /** The last processed sequence number, {@link CheckpointConstants#SHARD_END}, or {@code null}. */
    public synchronized @Nullable String getCheckpoint() {
        return checkpoint;
    }

    public synchronized void setCheckpoint(@Nullable String checkpoint) {
        this.checkpoint = checkpoint;
    }

    /**
     * Inside an aggregated record, the last user record processed (see
     * {@link CheckpointConstants#CHECKPOINT_SUB_SEQUENCE_KEY}), or {@code null} when the checkpoint covers the whole
     * record.
     */
    public synchronized @Nullable Long getCheckpointSubSequenceNumber() {
        return checkpointSubSequenceNumber;
    }

    public synchronized void setCheckpointSubSequenceNumber(@Nullable Long checkpointSubSequenceNumber) {
        this.checkpointSubSequenceNumber = checkpointSubSequenceNumber;
    }

    /** The worker that owns the lease as last seen (the Go library's {@code AssignedTo}), or {@code null}. */
    public synchronized @Nullable String getLeaseOwner() {
        return leaseOwner;
    }

    public synchronized void setLeaseOwner(@Nullable String leaseOwner) {
        this.leaseOwner = leaseOwner;
    }

    /** The lease timeout as last written, by its writer's wall clock; for display only. */
    public synchronized @Nullable Instant getLeaseTimeout() {
        return leaseTimeout;
    }

    public synchronized void setLeaseTimeout(@Nullable Instant leaseTimeout) {
        this.leaseTimeout = leaseTimeout;
    }

    /** The lease counter (fencing token) as last seen, or {@code null} when the row was never read. */
    public synchronized @Nullable Long getLeaseCounter() {
        return leaseCounter;
    }

    public synchronized void setLeaseCounter(@Nullable Long leaseCounter) {
        this.leaseCounter = leaseCounter;
    }

    public synchronized @Nullable String getStartingSequenceNumber() {
        return startingSequenceNumber;
    }

    public synchronized void setStartingSequenceNumber(@Nullable String startingSequenceNumber) {
        this.startingSequenceNumber = startingSequenceNumber;
    }

    public synchronized @Nullable String getEndingSequenceNumber() {
        return endingSequenceNumber;
    }

    public synchronized void setEndingSequenceNumber(@Nullable String endingSequenceNumber) {
        this.endingSequenceNumber = endingSequenceNumber;
    }

    /** The id of a worker that asked to take this shard over, as last seen, or {@code null}. */
    public synchronized @Nullable String getClaimRequest() {
        return claimRequest;
    }

    public synchronized void setClaimRequest(@Nullable String claimRequest) {
        this.claimRequest = claimRequest;
    }

    /**
     * Where to start while there is no checkpoint: the position of the last reset applied, or {@code null} for the
     * consumer's own initial position. Read from the row, as the reset below: neither is written through this object.
     */
    public synchronized @Nullable StartingPosition getStartingPosition() {
        return startingPosition;
    }

    /** A reset standing on the row as last read, not yet applied, or {@code null}. */
    public synchronized @Nullable PendingReset getPendingReset() {
        return pendingReset;
    }

    /** Copies everything a row holds into this status, in one step. */
    public synchronized void update(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        if (!id.equals(lease.shardId())) {
            throw new IllegalArgumentException("lease of shard " + lease.shardId() + " given to shard " + id);
        }
        this.leaseOwner = lease.owner();
        this.leaseTimeout = lease.leaseTimeout();
        this.leaseCounter = lease.leaseCounter();
        this.checkpoint = lease.checkpoint();
        this.checkpointSubSequenceNumber = lease.checkpointSubSequenceNumber();
        this.claimRequest = lease.claimRequest();
        this.startingPosition = lease.startingPosition();
        this.pendingReset = lease.pendingReset();
        if (lease.parentShardId() != null) {
            this.parentShardId = lease.parentShardId();
        }
    }

    @Override
    public synchronized String toString() {
        return "ShardStatus{id=" + id + ", owner=" + leaseOwner + ", counter=" + leaseCounter
                + ", checkpoint=" + checkpoint + (checkpointSubSequenceNumber == null ? "" : "/" + checkpointSubSequenceNumber)
                + ", claim=" + claimRequest + ", parent=" + parentShardId
                + (startingPosition == null ? "" : ", startingPosition=" + startingPosition)
                + (pendingReset == null ? "" : ", reset=" + pendingReset.to()) + '}';
    }
}
