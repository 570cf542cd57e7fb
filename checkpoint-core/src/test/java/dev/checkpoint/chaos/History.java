package dev.checkpoint.chaos;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** A worker's process stood still (every request held back) from {@code fromNanos} to {@code untilNanos}. */
    record Freeze(String worker, long fromNanos, long untilNanos) {
    }

    /** One moment on both clocks: the monotonic times below are shown as times of day in {@link #timeline}. */
    private final long originNanos = System.nanoTime();
    private final Instant originWall = Instant.now();

    final ConcurrentLinkedQueue<Hold> holds = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Listening> listening = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Take> takes = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Renewal> renewals = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Checkpoint> checkpoints = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Reset> resets = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Freeze> freezes = new ConcurrentLinkedQueue<>();
    /** The shards whose reset a worker's take applied, once per application. */
    final ConcurrentLinkedQueue<String> resetsApplied = new ConcurrentLinkedQueue<>();

    List<Checkpoint> accepted() {
        return checkpoints.stream().filter(checkpoint -> checkpoint.outcome() == Outcome.ACCEPTED).toList();
    }

    /**
     * Everything recorded of one shard between {@code fromNanos} and {@code toNanos}, in order, as times of day (UTC)
     * that match the log's: what a violation is diagnosed from.
     */
    List<String> timeline(String shard, long fromNanos, long toNanos) {
        record Event(long nanos, String text) {
        }
        List<Event> events = new ArrayList<>();
        holds.stream().filter(hold -> hold.shard().equals(shard)).forEach(hold -> {
            events.add(new Event(hold.startNanos(), hold.worker() + " hold starts"));
            events.add(new Event(hold.lastHeldNanos(), hold.worker() + " hold last seen held"));
        });
        listening.stream().filter(span -> span.shard().equals(shard)).forEach(span -> {
            events.add(new Event(span.gainedNanos(), span.worker() + " leaseGained"));
            events.add(new Event(span.endedNanos(), span.worker() + " listener span ends"));
        });
        takes.stream().filter(take -> take.shard().equals(shard))
                .forEach(take -> events.add(new Event(take.nanos(), take.worker() + " take seen to succeed")));
        renewals.stream().filter(renewal -> renewal.shard().equals(shard))
                .forEach(renewal -> events.add(new Event(renewal.nanos(), renewal.worker() + " renewal seen to succeed")));
        checkpoints.stream().filter(write -> write.shard().equals(shard)).forEach(write -> events.add(new Event(
                write.sentNanos(), write.worker() + " checkpoint " + write.value() + " sent, " + write.outcome())));
        return events.stream().filter(event -> event.nanos() >= fromNanos && event.nanos() <= toNanos)
                .sorted(Comparator.comparingLong(Event::nanos))
                .map(event -> timeOfDay(event.nanos()) + " " + event.text()).toList();
    }

    private LocalTime timeOfDay(long nanos) {
        return LocalTime.ofInstant(originWall.plusNanos(nanos - originNanos), ZoneOffset.UTC);
    }
}
