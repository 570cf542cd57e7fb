package dev.checkpoint.kinesis;

import java.time.Instant;

import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Where a shard's reading starts, for an iterator (polling) or a subscription (fan-out): after the last record read;
 * at it again when it was read into the middle of an aggregate (its user records up to the position are then
 * skipped); else where an operator's reset or the initial position says.
 */
record ReadStart(ShardIteratorType type, @Nullable String sequenceNumber, @Nullable Instant timestamp) {

    static ReadStart of(@Nullable Position position, StartingPosition start) {
        if (position != null && position.subSequenceNumber() != null) {
            return new ReadStart(ShardIteratorType.AT_SEQUENCE_NUMBER, position.sequenceNumber(), null);
        }
        if (position != null) {
            return new ReadStart(ShardIteratorType.AFTER_SEQUENCE_NUMBER, position.sequenceNumber(), null);
        }
        return switch (start.kind()) {
            case TRIM_HORIZON -> new ReadStart(ShardIteratorType.TRIM_HORIZON, null, null);
            case LATEST -> new ReadStart(ShardIteratorType.LATEST, null, null);
            case AT_TIMESTAMP -> new ReadStart(ShardIteratorType.AT_TIMESTAMP, null, start.timestamp());
            case AT_SEQUENCE_NUMBER -> new ReadStart(ShardIteratorType.AT_SEQUENCE_NUMBER, start.sequenceNumber(), null);
        };
    }
}
