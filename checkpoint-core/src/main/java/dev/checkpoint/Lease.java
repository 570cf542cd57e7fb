package dev.checkpoint;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row of the lease table, as read. Immutable.
 *
 * @param shardId the shard, never {@code null}
 * @param owner the worker holding the lease, or {@code null} when nobody does
 * @param leaseTimeout when the lease expires by its owner's wall clock, or {@code null}; for display only
 * @param leaseCounter the fencing token; 0 for rows written by the Go library
 * @param checkpoint the last processed sequence number, {@link CheckpointConstants#SHARD_END}, or {@code null}
 * @param parentShardId the parent shard, or {@code null}
 * @param claimRequest the worker that asked to take this shard over, or {@code null}
 * @param checkpointSubSequenceNumber inside an aggregated record, the last user record processed; {@code null} when
 *        the checkpoint covers the whole record
 * @param pendingReset a reset an operator asked for and no take has applied yet, or {@code null}
 * @param startingPosition where to start when there is no checkpoint: the position of the last reset applied, until
 *        the first checkpoint after it; {@code null} for the consumer's own initial position
 * @param ownerEpoch in worker renewal mode, the epoch of the owner's process, whose heartbeat keeps the lease alive
 *        ({@code OwnerEpoch}); {@code null} in per-lease mode
 */
public record Lease(String shardId, @Nullable String owner, @Nullable Instant leaseTimeout, long leaseCounter,
        @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest,
        @Nullable Long checkpointSubSequenceNumber, @Nullable PendingReset pendingReset,
        @Nullable StartingPosition startingPosition, @Nullable String ownerEpoch) {

    public Lease {
        Objects.requireNonNull(shardId, "shardId");
    }

    /** A lease of per-lease mode: no owner epoch. */
    public Lease(String shardId, @Nullable String owner, @Nullable Instant leaseTimeout, long leaseCounter,
            @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest,
            @Nullable Long checkpointSubSequenceNumber, @Nullable PendingReset pendingReset,
            @Nullable StartingPosition startingPosition) {
        this(shardId, owner, leaseTimeout, leaseCounter, checkpoint, parentShardId, claimRequest,
                checkpointSubSequenceNumber, pendingReset, startingPosition, null);
    }

    /** A lease whose checkpoint, if any, covers a whole record. */
    public Lease(String shardId, @Nullable String owner, @Nullable Instant leaseTimeout, long leaseCounter,
            @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest) {
        this(shardId, owner, leaseTimeout, leaseCounter, checkpoint, parentShardId, claimRequest, null);
    }

    /** A lease without a reset, pending or applied. */
    public Lease(String shardId, @Nullable String owner, @Nullable Instant leaseTimeout, long leaseCounter,
            @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest,
            @Nullable Long checkpointSubSequenceNumber) {
        this(shardId, owner, leaseTimeout, leaseCounter, checkpoint, parentShardId, claimRequest,
                checkpointSubSequenceNumber, null, null);
    }

    /** Whether some worker holds this lease. */
    public boolean isOwned() {
        return owner != null;
    }

    /** Whether {@code workerId} holds this lease. */
    public boolean isOwnedBy(String workerId) {
        return owner != null && owner.equals(workerId);
    }

    /**
     * Whether the shard has been processed to its end, and stays so: a reset pending on a finished shard opens it again
     * (its children then wait for it once more).
     */
    public boolean isFinished() {
        return CheckpointConstants.SHARD_END.equals(checkpoint) && pendingReset == null;
    }

    /** Whether an operator's reset stands on this row, not yet applied. */
    public boolean hasPendingReset() {
        return pendingReset != null;
    }

    /** Whether a claim is written on this row (it may have expired). */
    public boolean hasClaim() {
        return claimRequest != null;
    }
}
