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
 */
public record Lease(String shardId, @Nullable String owner, @Nullable Instant leaseTimeout, long leaseCounter,
        @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest,
        @Nullable Long checkpointSubSequenceNumber) {

    public Lease {
        Objects.requireNonNull(shardId, "shardId");
    }

    /** A lease whose checkpoint, if any, covers a whole record. */
    public Lease(String shardId, @Nullable String owner, @Nullable Instant leaseTimeout, long leaseCounter,
            @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest) {
        this(shardId, owner, leaseTimeout, leaseCounter, checkpoint, parentShardId, claimRequest, null);
    }

    /** Whether some worker holds this lease. */
    public boolean isOwned() {
        return owner != null;
    }

    /** Whether {@code workerId} holds this lease. */
    public boolean isOwnedBy(String workerId) {
        return owner != null && owner.equals(workerId);
    }

    /** Whether the shard has been processed to its end. */
    public boolean isFinished() {
        return CheckpointConstants.SHARD_END.equals(checkpoint);
    }

    /** Whether a claim is written on this row (it may have expired). */
    public boolean hasClaim() {
        return claimRequest != null;
    }
}
