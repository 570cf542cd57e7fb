package dev.checkpoint.kinesis;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;

/**
 * One record of a shard, as the processor gets it.
 *
 * @param shardId the shard it was read from
 * @param sequenceNumber its sequence number in the shard; for a user record of an aggregated (KPL) record, the
 *        aggregate's
 * @param subSequenceNumber for a user record of an aggregated (KPL) record, its index in the aggregate; else
 *        {@code null}
 * @param partitionKey the key it was put with
 * @param data its bytes ({@code data().asUtf8String()} for text)
 * @param approximateArrivalTimestamp when Kinesis received it, or {@code null} when not known
 */
public record KinesisRecord(String shardId, String sequenceNumber, @Nullable Long subSequenceNumber, String partitionKey,
        SdkBytes data, @Nullable Instant approximateArrivalTimestamp) {

    /** Where this record is in its shard: its sequence number, and inside an aggregate its sub-sequence number. */
    Position position() {
        return new Position(sequenceNumber, subSequenceNumber);
    }
}
