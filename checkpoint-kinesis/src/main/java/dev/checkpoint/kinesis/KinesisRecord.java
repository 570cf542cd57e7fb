package dev.checkpoint.kinesis;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.SdkBytes;

/**
 * One record of a shard, as the processor gets it.
 *
 * @param shardId the shard it was read from
 * @param sequenceNumber its sequence number in the shard
 * @param partitionKey the key it was put with
 * @param data its bytes ({@code data().asUtf8String()} for text)
 * @param approximateArrivalTimestamp when Kinesis received it, or {@code null} when not known
 */
public record KinesisRecord(String shardId, String sequenceNumber, String partitionKey, SdkBytes data,
        @Nullable Instant approximateArrivalTimestamp) {
}
