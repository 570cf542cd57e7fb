package dev.checkpoint;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A shard's progress as another library recorded it (the Java KCL's lease table, Spring Cloud AWS's metadata store),
 * in this library's terms, for {@link LeaseStore#importCheckpoint}: processed up to a record (and, inside a KPL
 * aggregate, up to one of its user records), read to its end, or not started, with where to start.
 *
 * @param shardId the shard
 * @param checkpoint the sequence number of the last record processed, or {@link CheckpointConstants#SHARD_END};
 *        {@code null} when the shard was not started
 * @param subSequenceNumber inside an aggregated record, the index of the last user record processed; else {@code null}
 * @param startingPosition for a shard not started, where to start (the trim horizon or the latest record, as the
 *        other library recorded it); {@code null} to leave it to the consumer's initial position
 * @param parentShardId the shard's parent, as the other library recorded it, or {@code null}
 */
public record ImportedCheckpoint(String shardId, @Nullable String checkpoint, @Nullable Long subSequenceNumber,
        @Nullable StartingPosition startingPosition, @Nullable String parentShardId) {

    public ImportedCheckpoint {
        ShardStatus.requireShardId(shardId, "shardId");
        if (checkpoint != null && !CheckpointConstants.SHARD_END.equals(checkpoint) && !checkpoint.matches("\\d{1,128}")) {
            throw new IllegalArgumentException("checkpoint of " + shardId + " is neither a sequence number nor "
                    + CheckpointConstants.SHARD_END + ": " + checkpoint);
        }
        if (subSequenceNumber != null && (subSequenceNumber < 0 || checkpoint == null
                || CheckpointConstants.SHARD_END.equals(checkpoint))) {
            throw new IllegalArgumentException("a sub-sequence number of " + shardId
                    + " needs a sequence number beside it, and is not negative");
        }
        if (checkpoint != null && startingPosition != null) {
            throw new IllegalArgumentException("shard " + shardId + " has a checkpoint or a starting position, not both");
        }
        if (startingPosition != null && startingPosition.kind() != StartingPosition.Kind.TRIM_HORIZON
                && startingPosition.kind() != StartingPosition.Kind.LATEST) {
            throw new IllegalArgumentException("a shard not started starts at the trim horizon or the latest record: "
                    + startingPosition);
        }
    }

    /** Processed up to {@code sequenceNumber} (and user record {@code subSequenceNumber} inside it, if any). */
    public static ImportedCheckpoint after(String shardId, String sequenceNumber, @Nullable Long subSequenceNumber,
            @Nullable String parentShardId) {
        return new ImportedCheckpoint(shardId, Objects.requireNonNull(sequenceNumber, "sequenceNumber"),
                subSequenceNumber, null, parentShardId);
    }

    /** Read to its end: its children may start. */
    public static ImportedCheckpoint finished(String shardId, @Nullable String parentShardId) {
        return new ImportedCheckpoint(shardId, CheckpointConstants.SHARD_END, null, null, parentShardId);
    }

    /** Not started: from {@code start}, or ({@code null}) from the consumer's initial position. */
    public static ImportedCheckpoint notStarted(String shardId, @Nullable StartingPosition start,
            @Nullable String parentShardId) {
        return new ImportedCheckpoint(shardId, null, null, start, parentShardId);
    }

    /** Whether the shard was read to its end. */
    public boolean isFinished() {
        return CheckpointConstants.SHARD_END.equals(checkpoint);
    }

    /** In words, for reports: "after 4960…123", "after 4960…123 (user record 2)", "SHARD_END", "TRIM_HORIZON". */
    public String describe() {
        if (checkpoint == null) {
            return startingPosition == null ? "not started (initial position)" : startingPosition.toString();
        }
        if (isFinished()) {
            return checkpoint;
        }
        return "after " + checkpoint + (subSequenceNumber == null ? "" : " (user record " + subSequenceNumber + ")");
    }
}
