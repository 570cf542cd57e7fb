package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.checkpoint.MonotonicClock;
import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Polls one shard with {@code GetRecords}. Within the shard's limits: at most 5 calls a second, and after a large
 * answer, long enough a pause to stay under 2 MB a second. Throttling ({@code ProvisionedThroughputExceeded},
 * {@code LimitExceeded}, KMS throttling) is waited out with a backoff that doubles, with jitter, up to 10 seconds,
 * and resets after a call that works; so is any other failure of a call (Kinesis away, a timeout), with a warning.
 * An expired iterator is replaced by one after the last record returned. Aggregated records (the KPL's) are split
 * into their user records; a position inside an aggregate resumes with the next user record.
 */
final class PollingRecordSupplier implements RecordSupplier {

    private static final Logger log = LoggerFactory.getLogger(PollingRecordSupplier.class);
    private static final Duration THROTTLE_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_THROTTLE_BACKOFF = Duration.ofSeconds(10);

    private final KinesisClient kinesis;
    private final StreamId stream;
    private final String shardId;
    private final KinesisConsumerSettings settings;
    private final StopSignal stop;
    private final ReadOutcomes outcomes;
    private final ShardConsumerListener listener;
    private final MonotonicClock clock;
    private final Backoff throttling = new Backoff(THROTTLE_BACKOFF, MAX_THROTTLE_BACKOFF,
            () -> ThreadLocalRandom.current().nextDouble());
    /** The last record returned, or the checkpoint started from: where a new iterator starts after. */
    private @Nullable Position position;
    /** Where to start without a position: an operator's reset, or the initial position. */
    private final StartingPosition start;
    private @Nullable String iterator;
    private long notBeforeNanos;
    private final NextWakeUp wakeUp;

    PollingRecordSupplier(KinesisClient kinesis, StreamId stream, String shardId, @Nullable Position checkpoint,
            StartingPosition start, KinesisConsumerSettings settings, StopSignal stop,
            ShardConsumerListener listener, ReadOutcomes outcomes, Alarms alarms, MonotonicClock clock) {
        this.outcomes = outcomes;
        this.kinesis = kinesis;
        this.stream = stream;
        this.shardId = shardId;
        this.position = checkpoint;
        this.start = start;
        this.settings = settings;
        this.stop = stop;
        this.listener = listener;
        this.clock = clock;
        this.notBeforeNanos = clock.nanoTime();
        this.wakeUp = new NextWakeUp(alarms, clock);
    }

    @Override
    public boolean ready(Runnable wake) {
        if (stop.isGiven() || notBeforeNanos - clock.nanoTime() <= 0) {
            return true;
        }
        wakeUp.at(notBeforeNanos, wake);
        return false;
    }

    @Override
    public @Nullable Batch next() {
        if (stop.isGiven()) {
            return null;
        }
        if (notBeforeNanos - clock.nanoTime() > 0) {
            return Batch.NOTHING; // not its turn yet: the shard's limits
        }
        GetRecordsResponse response;
        long sentNanos;
        try {
            if (iterator == null) {
                iterator = newIterator();
            }
            String current = iterator;
            sentNanos = clock.nanoTime();
            response = kinesis.getRecords(request -> request.shardIterator(current).limit(settings.maxRecordsPerFetch()));
        }
        catch (ProvisionedThroughputExceededException | LimitExceededException | KmsThrottlingException throttled) {
            listener.throttled(shardId);
            outcomes.failed("throttled: " + throttled.getMessage());
            listener.readFailed(shardId, "throttled: " + throttled.getMessage());
            Duration wait = throttling.next();
            log.debug("Shard {} throttled ({} in a row); waiting {}", shardId, throttling.failures(), wait);
            notBeforeNanos = clock.nanoTime() + wait.toNanos();
            return Batch.NOTHING;
        }
        catch (ExpiredIteratorException expired) {
            log.info("The iterator of shard {} expired; reading on after {}", shardId, position);
            iterator = null;
            return Batch.NOTHING;
        }
        catch (SdkException failure) {
            outcomes.failed(failure.toString());
            listener.readFailed(shardId, failure.toString());
            Duration wait = throttling.next();
            log.warn("Reading shard {} failed ({} in a row); trying again in {}: {}", shardId, throttling.failures(),
                    wait, failure.toString());
            notBeforeNanos = clock.nanoTime() + wait.toNanos();
            return Batch.NOTHING;
        }
        throttling.reset();
        return batchOf(response, sentNanos);
    }

    /** The records of {@code response}; the next call waits for its turn, counted from when this one was sent. */
    private Batch batchOf(GetRecordsResponse response, long sentNanos) {
        List<KinesisRecord> records = new ArrayList<>();
        long bytes = 0;
        Position after = position;
        for (Record record : response.records()) {
            bytes += record.data().asByteArrayUnsafe().length;
            for (KinesisRecord userRecord : Deaggregator.deaggregate(shardId, record)) {
                // Read again from inside an aggregate: its user records up to the position were processed already.
                if (after == null || userRecord.position().isPast(after)) {
                    records.add(userRecord);
                }
            }
        }
        if (!records.isEmpty()) {
            position = records.get(records.size() - 1).position();
        }
        iterator = response.nextShardIterator();
        long pace = Math.max(KinesisConsumerSettings.MIN_FETCH_INTERVAL.toNanos(),
                bytes * 1_000_000_000L / KinesisConsumerSettings.MAX_BYTES_PER_SECOND);
        if (records.isEmpty()) {
            pace = Math.max(pace, settings.idleInterval().toNanos());
        }
        notBeforeNanos = sentNanos + pace;
        outcomes.succeeded(response.millisBehindLatest());
        listener.fetched(shardId, records.size(), response.millisBehindLatest());
        return new Batch(records, response.millisBehindLatest(), iterator == null);
    }

    private String newIterator() {
        ReadStart from = ReadStart.of(position, start);
        GetShardIteratorRequest request = stream.shardIterator(GetShardIteratorRequest.builder()).shardId(shardId)
                .shardIteratorType(from.type()).startingSequenceNumber(from.sequenceNumber()).timestamp(from.timestamp())
                .build();
        log.debug("Reading shard {} from {}", shardId, position != null ? "after " + position : start);
        return kinesis.getShardIterator(request).shardIterator();
    }
}
