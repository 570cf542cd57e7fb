package dev.checkpoint;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A reset written on a lease row: what it replaces, for the audit trail.
 *
 * @param shardId the shard
 * @param reset the reset written
 * @param fromCheckpoint the checkpoint the row had when the reset was written, or {@code null}
 * @param fromSubSequenceNumber its sub-sequence number, or {@code null}
 * @param fromStartingPosition the row's starting position (an earlier reset, applied, with no checkpoint since), or
 *        {@code null}
 * @param owner the worker that held the lease then, or {@code null}
 * @param replaced a reset that was still pending and is replaced by this one, or {@code null}
 */
public record ResetReceipt(String shardId, PendingReset reset, @Nullable String fromCheckpoint,
        @Nullable Long fromSubSequenceNumber, @Nullable StartingPosition fromStartingPosition, @Nullable String owner,
        @Nullable PendingReset replaced) {

    public ResetReceipt {
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(reset, "reset");
    }

    /** What the shard was at before: its checkpoint, its starting position, or nothing. */
    public String from() {
        if (fromCheckpoint != null) {
            return fromSubSequenceNumber == null ? fromCheckpoint : fromCheckpoint + "/" + fromSubSequenceNumber;
        }
        return fromStartingPosition != null ? fromStartingPosition.toString() : "no checkpoint";
    }

    /** The row before the reset. */
    public static ResetReceipt of(PendingReset reset, Lease before) {
        return new ResetReceipt(before.shardId(), reset, before.checkpoint(), before.checkpointSubSequenceNumber(),
                before.startingPosition(), before.owner(), before.pendingReset());
    }
}
