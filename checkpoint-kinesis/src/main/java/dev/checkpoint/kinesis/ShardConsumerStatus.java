package dev.checkpoint.kinesis;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one shard's consumer has done, for the {@code leases} endpoint and gauges.
 *
 * @param shardId the shard
 * @param state {@code reading}, {@code retrying}, {@code ending}, {@code finished} (read to its end),
 *        {@code handed-off} or {@code stopped}
 * @param millisBehindLatest how far behind the shard's tip the last {@code GetRecords} call was, or {@code null}
 *        before the first
 * @param recordsProcessed records the processor got through
 * @param bytesProcessed their bytes
 * @param failures batches that threw, counting each attempt
 * @param lastCheckpoint the last sequence number written, or {@code null}
 * @param sinceLastCheckpoint how long ago it was written, or {@code null}
 */
public record ShardConsumerStatus(String shardId, String state, @Nullable Long millisBehindLatest, long recordsProcessed,
        long bytesProcessed, long failures, @Nullable String lastCheckpoint, @Nullable Duration sinceLastCheckpoint) {
}
