package dev.checkpoint.kinesis;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one shard's consumer has done, for the {@code leases} endpoint and gauges.
 *
 * @param shardId the shard
 * @param state {@code reading}, {@code retrying}, {@code ending}, {@code finished} (read to its end),
 *        {@code handed-off} or {@code stopped}
 * @param millisBehindLatest how far behind the shard's tip the reader is: what the last {@code GetRecords} call said,
 *        plus, while reads fail, the time since the last one that worked; {@code null} before anything is known
 * @param recordsProcessed records the processor got through
 * @param bytesProcessed their bytes
 * @param failures batches that threw, counting each attempt
 * @param lastCheckpoint the last sequence number written, or {@code null}
 * @param sinceLastCheckpoint how long ago it was written, or {@code null}
 * @param lastReadError while reads fail (throttled, refused, unanswered), the last failure; else {@code null}
 * @param readsFailingFor how long reads have been failing, or {@code null} while they work
 */
public record ShardConsumerStatus(String shardId, String state, @Nullable Long millisBehindLatest, long recordsProcessed,
        long bytesProcessed, long failures, @Nullable String lastCheckpoint, @Nullable Duration sinceLastCheckpoint,
        @Nullable String lastReadError, @Nullable Duration readsFailingFor) {
}
