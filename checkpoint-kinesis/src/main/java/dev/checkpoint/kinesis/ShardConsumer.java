package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.coordinator.OwnedShard;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one held shard, a turn at a time on the {@link ReaderThreads}: each turn takes one batch from its
 * {@link RecordSupplier}, hands it to the processor (retrying a batch that throws, then applying the failure policy),
 * and asks its {@link CheckpointWriter} for checkpoints as the mode says; between turns it holds no thread, and the
 * supplier wakes it when its next read is due or its records have come. Never two turns of one shard at once. At the
 * shard's end it checkpoints {@code SHARD_END}, so that the children start. Told to stop gracefully, it finishes the
 * batch in flight and writes its last checkpoint; told to abandon the shard, it writes nothing more. It is
 * {@link #finished()} then.
 */
final class ShardConsumer {

    private static final Logger log = LoggerFactory.getLogger(ShardConsumer.class);

    /** What the reader is doing, as {@link ShardConsumerStatus#state()} names it. */
    private enum State {
        READING("reading"), RETRYING("retrying"), ENDING("ending"), FINISHED("finished"), HANDED_OFF("handed-off"),
        STOPPED("stopped");

        final String label;

        State(String label) {
            this.label = label;
        }
    }

    /** Where its turns are: none asked for, one queued, one running, one running and another asked for. */
    private static final int IDLE = 0;
    private static final int QUEUED = 1;
    private static final int RUNNING = 2;
    private static final int RUNNING_AND_WOKEN = 3;

    private final OwnedShard shard;
    private final RecordSupplier records;
    private final CheckpointingRecordProcessor processor;
    private final KinesisConsumerSettings settings;
    private final CheckpointWriter writer;
    private final StopSignal stop;
    private final ShardConsumerListener listener;
    private final ReaderThreads threads;
    private final MonotonicClock clock;
    private final AtomicLong recordsProcessed = new AtomicLong();
    private final AtomicLong bytesProcessed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicInteger turns = new AtomicInteger(IDLE);
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private volatile State state = State.READING;
    private final ReadOutcomes reads;
    private @Nullable KinesisRecord lastProcessed;
    private int sinceCheckpoint;
    private long lastCheckpointRequestNanos;
    private boolean readToItsEnd;

    ShardConsumer(OwnedShard shard, RecordSupplier records, CheckpointingRecordProcessor processor,
            KinesisConsumerSettings settings, CheckpointWriter writer, StopSignal stop, ShardConsumerListener listener,
            ReadOutcomes reads, ReaderThreads threads, MonotonicClock clock) {
        this.reads = reads;
        this.shard = shard;
        this.records = records;
        this.processor = processor;
        this.settings = settings;
        this.writer = writer;
        this.stop = stop;
        this.listener = listener;
        this.threads = threads;
        this.clock = clock;
        this.lastCheckpointRequestNanos = clock.nanoTime();
        stop.whenGiven(this::wake); // a reader waiting for its next read stops at once
    }

    /** Starts reading: the first turn. */
    void start() {
        wake();
    }

    /** Completes once the reader has ended: its last checkpoint written, or the shard abandoned or handed off. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** Asks for a turn. One asked for while a turn runs follows that turn, at the back of the queue. */
    private void wake() {
        while (true) {
            int now = turns.get();
            if (now == IDLE && turns.compareAndSet(IDLE, QUEUED)) {
                threads.run(shard.shardId(), this::turn);
                return;
            }
            if (now == QUEUED || now == RUNNING_AND_WOKEN || now == RUNNING && turns.compareAndSet(RUNNING,
                    RUNNING_AND_WOKEN)) {
                return;
            }
        }
    }

    private void turn() {
        turns.set(RUNNING);
        try {
            if (!finished.isDone()) {
                readOrEnd();
            }
        }
        finally {
            if (!turns.compareAndSet(RUNNING, IDLE)) {
                turns.set(QUEUED);
                threads.run(shard.shardId(), this::turn);
            }
        }
    }

    /** One turn: a batch read and processed, when the supplier has one ready; or the reader's end. */
    private void readOrEnd() {
        boolean readOn;
        try {
            readOn = readOn();
            if (readOn && records.ready(this::wake)) {
                readOn = readBatch();
                if (readOn && records.ready(this::wake)) {
                    wake(); // more is ready: another turn, after the turns other shards queued meanwhile
                }
            }
            if (!readOn) {
                stopReading();
            }
        }
        catch (RuntimeException | Error unexpected) {
            // Never a held shard without a reader: hand it off, so that it is read again (here or elsewhere).
            log.error("The consumer of shard {} failed; handing the shard off", shard.shardId(), unexpected);
            state = State.HANDED_OFF;
            readOn = false;
            try {
                shard.release();
            }
            finally {
                end();
            }
            if (unexpected instanceof Error error) {
                throw error;
            }
        }
        if (!readOn) {
            end();
        }
    }

    private void end() {
        try {
            records.close();
        }
        finally {
            finished.complete(null);
        }
    }

    /** @return whether the shard is still to be read */
    private boolean readOn() {
        if (stop.isGiven()) {
            return false;
        }
        if (!shard.isHeld()) {
            stop.abandon(); // the lease ran out before the coordinator said so: write nothing more
            return false;
        }
        return true;
    }

    /** Reads the batch ready and processes it. @return whether the shard is still to be read */
    private boolean readBatch() {
        RecordSupplier.Batch batch = records.next();
        if (batch == null) {
            return false;
        }
        if (!batch.records().isEmpty() && !deliver(batch.records())) {
            return false;
        }
        if (settings.checkpointMode() == CheckpointMode.PERIODIC) {
            checkpointIfDue();
        }
        if (batch.shardEnded() && !stop.isGiven()) {
            finish();
            readToItsEnd = true;
            return false;
        }
        return true;
    }

    /** The reader's last checkpoint, unless the shard was read to its end, handed off or abandoned. */
    private void stopReading() {
        if (readToItsEnd || state == State.HANDED_OFF) {
            return;
        }
        if (stop.isAbandon()) {
            writer.discard();
            state = State.STOPPED;
            return;
        }
        if (lastProcessed != null && settings.checkpointMode() != CheckpointMode.MANUAL) {
            writer.request(lastProcessed);
        }
        writer.flush();
        state = State.STOPPED;
    }

    /** Processes the batch, in the mode's way. @return {@code false} when the shard is no longer to be read */
    private boolean deliver(List<KinesisRecord> batch) {
        if (settings.checkpointMode() == CheckpointMode.RECORD) {
            for (KinesisRecord record : batch) {
                if (stop.isGiven() || !processWithRetries(List.of(record))) {
                    return false;
                }
                writer.request(record);
            }
            return true;
        }
        if (!processWithRetries(batch)) {
            return false;
        }
        if (settings.checkpointMode() == CheckpointMode.BATCH) {
            writer.request(lastProcessed);
        }
        else if (settings.checkpointMode() == CheckpointMode.PERIODIC) {
            sinceCheckpoint += batch.size();
        }
        return true;
    }

    /**
     * Processes {@code batch}, trying again with a growing wait when it throws, up to the attempts allowed; then the
     * failure policy. @return {@code true} when the batch counts as done (processed, or skipped)
     */
    private boolean processWithRetries(List<KinesisRecord> batch) {
        BatchCheckpointer checkpointer = new BatchCheckpointer(batch);
        Backoff backoff = new Backoff(settings.retryBackoff(), settings.retryBackoff().multipliedBy(32),
                () -> ThreadLocalRandom.current().nextDouble());
        for (int attempt = 1; ; attempt++) {
            long started = clock.nanoTime();
            try {
                processor.process(batch, checkpointer);
                done(batch, Duration.ofNanos(clock.nanoTime() - started));
                state = State.READING;
                return true;
            }
            catch (Exception failure) {
                failures.incrementAndGet();
                listener.processingFailed(shard.shardId(), attempt, failure);
                if (attempt >= settings.maxAttempts()) {
                    return giveUp(batch, failure);
                }
                state = State.RETRYING;
                Duration wait = backoff.next();
                log.warn("Processing {} records of shard {} failed (attempt {} of {}); trying again in {}", batch.size(),
                        shard.shardId(), attempt, settings.maxAttempts(), wait, failure);
                if (!stop.pause(wait)) {
                    return false; // stopping: the batch stays unprocessed, and uncheckpointed
                }
            }
        }
    }

    private void done(List<KinesisRecord> batch, Duration took) {
        long bytes = 0;
        for (KinesisRecord record : batch) {
            bytes += record.data().asByteArrayUnsafe().length;
        }
        lastProcessed = batch.get(batch.size() - 1);
        recordsProcessed.addAndGet(batch.size());
        bytesProcessed.addAndGet(bytes);
        listener.processed(shard.shardId(), batch.size(), bytes, took);
    }

    private boolean giveUp(List<KinesisRecord> batch, Exception failure) {
        String range = batch.get(0).sequenceNumber() + " to " + batch.get(batch.size() - 1).sequenceNumber();
        if (settings.failurePolicy() == FailurePolicy.SKIP) {
            log.warn("Skipping {} records of shard {} ({}) after {} failed attempts", batch.size(), shard.shardId(),
                    range, settings.maxAttempts(), failure);
            listener.skipped(shard.shardId(), batch.size());
            lastProcessed = batch.get(batch.size() - 1);
            return true;
        }
        log.error("Processing {} records of shard {} ({}) failed {} times; handing the shard off: it is read again from "
                + "its last checkpoint", batch.size(), shard.shardId(), range, settings.maxAttempts(), failure);
        stop.stopGracefully();
        writer.flush(); // what was processed before this batch
        state = State.HANDED_OFF;
        listener.handedOff(shard.shardId());
        shard.release();
        return false;
    }

    private void checkpointIfDue() {
        boolean due = sinceCheckpoint >= settings.checkpointEveryRecords() || (sinceCheckpoint > 0
                && clock.nanoTime() - lastCheckpointRequestNanos >= settings.checkpointEveryInterval().toNanos());
        if (due && lastProcessed != null) {
            writer.request(lastProcessed);
            sinceCheckpoint = 0;
            lastCheckpointRequestNanos = clock.nanoTime();
        }
    }

    /** The shard is closed and read to its end: the last checkpoint, then {@code SHARD_END}, so the children start. */
    private void finish() {
        if (lastProcessed != null && settings.checkpointMode() != CheckpointMode.MANUAL) {
            writer.request(lastProcessed);
        }
        writer.flush();
        try {
            shard.checkpoint(CheckpointConstants.SHARD_END);
            state = State.FINISHED;
            log.info("Shard {} is read to its end; its children can start", shard.shardId());
        }
        catch (CheckpointException failure) {
            state = State.STOPPED;
            log.warn("Could not checkpoint the end of shard {}; it is read again to its end: {}", shard.shardId(),
                    failure.getMessage());
        }
    }

    ShardConsumerStatus status() {
        long writtenAt = writer.writtenAtNanos();
        return new ShardConsumerStatus(shard.shardId(), state.label, reads.lagMillis(), recordsProcessed.get(),
                bytesProcessed.get(), failures.get(), writer.lastWritten(),
                writtenAt == 0 ? null : Duration.ofNanos(clock.nanoTime() - writtenAt), reads.lastError(),
                reads.failingFor());
    }

    void markEnding() {
        state = State.ENDING;
    }

    /** The processor's checkpointer for one batch. */
    private final class BatchCheckpointer implements RecordCheckpointer {

        private final List<KinesisRecord> batch;

        BatchCheckpointer(List<KinesisRecord> batch) {
            this.batch = batch;
        }

        @Override
        public void checkpoint() {
            writer.request(batch.get(batch.size() - 1));
        }

        @Override
        public void checkpoint(KinesisRecord record) {
            writer.request(record);
        }
    }
}
