package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Told what each shard consumer does, for metrics. Called on the consumer's threads: must be quick and not throw. */
public interface ShardConsumerListener {

    /** A {@code GetRecords} call answered: how many records, and how far behind the shard's tip the reader is. */
    default void fetched(String shardId, int records, @Nullable Long millisBehindLatest) {
    }

    /** Kinesis throttled a call ({@code ProvisionedThroughputExceeded}, {@code LimitExceeded}). */
    default void throttled(String shardId) {
    }

    /** A read failed (throttled, refused, unanswered): records wait unread until one works again. */
    default void readFailed(String shardId, String error) {
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

    /** The shard's consumer ended (the lease ended, was lost, or the shard was read to its end). */
    default void stopped(String shardId) {
    }

    /** One listener that tells each of {@code listeners}, in order. */
    static ShardConsumerListener composite(List<? extends ShardConsumerListener> listeners) {
        return new CompositeShardConsumerListener(List.copyOf(listeners));
    }
}
