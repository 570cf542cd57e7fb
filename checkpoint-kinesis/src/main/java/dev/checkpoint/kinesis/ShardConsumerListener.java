package dev.checkpoint.kinesis;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** Told what each shard consumer does, for metrics. Called on the consumer's threads: must be quick and not throw. */
public interface ShardConsumerListener {

    /** A {@code GetRecords} call answered: how many records, and how far behind the shard's tip the reader is. */
    default void fetched(String shardId, int records, @Nullable Long millisBehindLatest) {
    }

    /** Kinesis throttled a call ({@code ProvisionedThroughputExceeded}, {@code LimitExceeded}). */
    default void throttled(String shardId) {
    }

    /** The processor got through a batch. */
    default void processed(String shardId, int records, long bytes, Duration took) {
    }

    /** The processor threw on a batch; {@code attempt} counts from 1. */
    default void processingFailed(String shardId, int attempt, Exception failure) {
    }

    /** A batch that failed every attempt was skipped, under {@link FailurePolicy#SKIP}. */
    default void skipped(String shardId, int records) {
    }

    /** A shard was handed off after a batch failed every attempt, under {@link FailurePolicy#HAND_OFF}. */
    default void handedOff(String shardId) {
    }

    /** A checkpoint was written. */
    default void checkpointed(String shardId, String sequenceNumber) {
    }
}
