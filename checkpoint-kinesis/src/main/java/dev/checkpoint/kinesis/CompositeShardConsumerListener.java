package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** Tells several listeners, in order. */
final class CompositeShardConsumerListener implements ShardConsumerListener {

    private final List<ShardConsumerListener> listeners;

    CompositeShardConsumerListener(List<ShardConsumerListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void fetched(String shardId, int records, @Nullable Long millisBehindLatest) {
        listeners.forEach(listener -> listener.fetched(shardId, records, millisBehindLatest));
    }

    @Override
    public void throttled(String shardId) {
        listeners.forEach(listener -> listener.throttled(shardId));
    }

    @Override
    public void readFailed(String shardId, String error) {
        listeners.forEach(listener -> listener.readFailed(shardId, error));
    }

    @Override
    public void processed(String shardId, int records, long bytes, Duration took) {
        listeners.forEach(listener -> listener.processed(shardId, records, bytes, took));
    }

    @Override
    public void processingFailed(String shardId, int attempt, Exception failure) {
        listeners.forEach(listener -> listener.processingFailed(shardId, attempt, failure));
    }

    @Override
    public void skipped(String shardId, int records) {
        listeners.forEach(listener -> listener.skipped(shardId, records));
    }

    @Override
    public void handedOff(String shardId) {
        listeners.forEach(listener -> listener.handedOff(shardId));
    }

    @Override
    public void checkpointed(String shardId, String sequenceNumber) {
        listeners.forEach(listener -> listener.checkpointed(shardId, sequenceNumber));
    }

    @Override
    public void stopped(String shardId) {
        listeners.forEach(listener -> listener.stopped(shardId));
    }
}
