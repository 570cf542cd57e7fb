package dev.checkpoint.chaos;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What happened in a chaos run, recorded as it happened, with times from the one monotonic clock the workers of
 * the run share (nanoseconds).
 */
final class History {

    /** A worker held a shard: from gaining it to the last moment its handle said it still held it. */
    record Hold(String worker, String shard, long startNanos, long lastHeldNanos) {
    }

    /**
     * A worker's listener had a shard: from the call of {@code leaseGained} to the return of {@code leaseLost} or
     * {@code leaseEnding}, or to the worker's death.
     */
    record Listening(String worker, String shard, long gainedNanos, long endedNanos) {
    }

    /** A worker's take of a lease succeeded; {@code nanos} is when the success was seen. */
    record Take(String worker, String shard, long nanos) {
    }

    /** A worker's renewal succeeded; {@code nanos} is when the success was seen. */
    record Renewal(String worker, String shard, long nanos) {
    }

    /** How a checkpoint write ended. */
    enum Outcome {
        ACCEPTED, REFUSED,
        /** It failed after its retries: it may or may not have been stored. */
        UNKNOWN
    }

    /**
     * A checkpoint write attempted: {@code sentNanos} is when its last request went out (for a write held back by
     * a freeze, when the freeze ended), or when it was asked for if no request went out; {@code answeredNanos}
     * is when the handle returned.
     */
    record Checkpoint(String worker, String shard, long value, long sentNanos, long answeredNanos, Outcome outcome,
            long handleNanos) {

        /** A write through a handle gained at the start of time. */
        Checkpoint(String worker, String shard, long value, long sentNanos, long answeredNanos, Outcome outcome) {
            this(worker, shard, value, sentNanos, answeredNanos, outcome, Long.MIN_VALUE);
        }
    }

    /**
     * An operator's reset of a shard to {@code value} (the next checkpoint written is {@code value}; 1 for the trim
     * horizon): sent at {@code sentNanos}, answered (so surely written) at {@code answeredNanos}.
     */
    record Reset(String shard, long value, long sentNanos, long answeredNanos) {
    }

    final ConcurrentLinkedQueue<Hold> holds = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Listening> listening = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Take> takes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Renewal> renewals = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Checkpoint> checkpoints = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Reset> resets = new ConcurrentLinkedQueue<>();
    /** The shards whose reset a worker's take applied, once per application. */
    final ConcurrentLinkedQueue<String> resetsApplied = new ConcurrentLinkedQueue<>();

    List<Checkpoint> accepted() {
        return checkpoints.stream().filter(checkpoint -> checkpoint.outcome() == Outcome.ACCEPTED).toList();
    }
}
