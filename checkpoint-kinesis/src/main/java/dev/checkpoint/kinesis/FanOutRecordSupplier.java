package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

import dev.checkpoint.MonotonicClock;
import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * Reads one shard through enhanced fan-out: a {@code SubscribeToShard} subscription of the application's registered
 * consumer, whose events Kinesis pushes over HTTP/2. The service ends a subscription after 5 minutes; the next one
 * starts after the continuation sequence number of the last event taken, so that nothing is skipped or read twice.
 * One event is asked for at a time, once the reader took the last (back-pressure: a slow processor holds one event,
 * never a growing buffer). A subscription refused because the previous owner's is still open
 * ({@code ResourceInUse}, after a hand-off), throttling, and lost connections are tried again with the same backoff as
 * polling. The subscription is cancelled as soon as the reader is told to stop, a lost lease included. Aggregates,
 * positions inside them and the shard's end are handled as by {@link PollingRecordSupplier}.
 */
final class FanOutRecordSupplier implements RecordSupplier {

    private static final Logger log = LoggerFactory.getLogger(FanOutRecordSupplier.class);
    private static final Duration BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Kinesis sends an event at least every few seconds; a subscription silent for this long is dead. */
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(35);
    /** How often the end of a closed shard at its tip may be asked of {@code GetRecords}. */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    private final KinesisAsyncClient kinesis;
    private final StreamConsumerRegistration consumer;
    private final String shardId;
    private final KinesisConsumerSettings settings;
    private final StopSignal stop;
    private final ReadOutcomes outcomes;
    private final ShardConsumerListener listener;
    private final MonotonicClock clock;
    private final Backoff backoff = new Backoff(BACKOFF, MAX_BACKOFF, () -> ThreadLocalRandom.current().nextDouble());
    private final StartingPosition start;
    /** Whether the stream's listing shows the shard closed (it has children). */
    private final BooleanSupplier shardClosed;
    private final ShardEndProbe endProbe;
    private long lastProbeNanos;
    /** The last record returned, or the checkpoint started from. */
    private @Nullable Position position;
    /** Where the next subscription starts after: the last event taken's continuation sequence number. */
    private @Nullable String continuation;
    /** Read by the stop signal's callback, on another thread, to cancel at once. */
    private volatile @Nullable ShardSubscription subscription;
    private boolean owesRequest;
    private long lastSignalNanos;
    /** Until when a backoff, or a consumer still being registered, holds the next subscription back. */
    private long notBeforeNanos;
    private final NextWakeUp wakeUp;

    FanOutRecordSupplier(KinesisAsyncClient kinesis, StreamConsumerRegistration consumer, String shardId,
            @Nullable Position checkpoint, StartingPosition start, BooleanSupplier shardClosed, ShardEndProbe endProbe,
            KinesisConsumerSettings settings, StopSignal stop, ShardConsumerListener listener, ReadOutcomes outcomes,
            Alarms alarms, MonotonicClock clock) {
        this.kinesis = kinesis;
        this.shardClosed = shardClosed;
        this.endProbe = endProbe;
        this.consumer = consumer;
        this.shardId = shardId;
        this.position = checkpoint;
        this.start = start;
        this.settings = settings;
        this.stop = stop;
        this.listener = listener;
        this.outcomes = outcomes;
        this.clock = clock;
        this.notBeforeNanos = clock.nanoTime();
        this.wakeUp = new NextWakeUp(alarms, clock);
        stop.whenGiven(this::close);
    }

    @Override
    public boolean ready(Runnable wake) {
        long now = clock.nanoTime();
        if (stop.isGiven()) {
            return true;
        }
        if (notBeforeNanos - now > 0) {
            wakeUp.at(notBeforeNanos, wake);
            return false;
        }
        ShardSubscription current = subscription;
        if (current == null) {
            return true; // to subscribe
        }
        sendOwedRequest(current);
        if (current.hasSignalOrWhenOneComes(wake)) {
            return true;
        }
        // Woken by the next event; and at the idle interval at the latest, to look at the lease and a silence.
        wakeUp.at(now + settings.idleInterval().toNanos(), wake);
        return false;
    }

    @Override
    public @Nullable Batch next() {
        if (stop.isGiven()) {
            return null;
        }
        if (notBeforeNanos - clock.nanoTime() > 0) {
            return Batch.NOTHING;
        }
        ShardSubscription current = subscription;
        if (current == null) {
            subscribe();
            return Batch.NOTHING; // its events come later
        }
        sendOwedRequest(current);
        ShardSubscription.Signal signal = current.poll();
        if (signal instanceof ShardSubscription.Event event) {
            lastSignalNanos = clock.nanoTime();
            return batchOf(event.event());
        }
        if (signal instanceof ShardSubscription.Ended) {
            log.debug("The subscription to shard {} ended; subscribing again after {}", shardId, continuation);
            subscription = null;
        }
        else if (signal instanceof ShardSubscription.Failed failed) {
            failedWith(failed.failure());
        }
        else if (clock.nanoTime() - lastSignalNanos > SILENCE_LIMIT.toNanos()) {
            log.warn("The subscription to shard {} was silent for {}; subscribing again", shardId, SILENCE_LIMIT);
            current.cancel();
            subscription = null;
        }
        return Batch.NOTHING; // nothing new: the reader looks around, then asks again
    }

    /** Asks Kinesis for the event after the one taken last, once. */
    private void sendOwedRequest(ShardSubscription current) {
        if (owesRequest) {
            owesRequest = false;
            current.requestNext();
        }
    }

    @Override
    public void close() {
        ShardSubscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    /** Opens a subscription, unless the consumer is not ready yet (then it is tried again later). */
    private void subscribe() {
        String consumerArn;
        try {
            consumerArn = consumer.activeArn();
        }
        catch (RuntimeException failure) {
            failedWith(failure);
            return;
        }
        if (consumerArn == null) {
            notBeforeNanos = clock.nanoTime() + BACKOFF.toNanos(); // still being registered
            return;
        }
        ShardSubscription opened = new ShardSubscription();
        subscription = opened;
        owesRequest = false;
        lastSignalNanos = clock.nanoTime();
        var startingPosition = startingPosition();
        log.debug("Subscribing to shard {} from {}", shardId, startingPosition);
        SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
                .onEventStream(events -> events.subscribe(opened))
                .onError(opened::failed)
                .build();
        kinesis.subscribeToShard(request -> request.consumerARN(consumerArn).shardId(shardId)
                .startingPosition(startingPosition), handler)
                .whenComplete((done, failure) -> {
                    if (failure != null) {
                        opened.failed(StreamConsumerRegistration.unwrap(failure));
                    }
                });
        if (stop.isGiven()) {
            opened.cancel();
        }
    }

    private software.amazon.awssdk.services.kinesis.model.StartingPosition startingPosition() {
        ReadStart from = continuation != null
                ? new ReadStart(ShardIteratorType.AFTER_SEQUENCE_NUMBER, continuation, null)
                : ReadStart.of(position, start);
        return software.amazon.awssdk.services.kinesis.model.StartingPosition.builder().type(from.type())
                .sequenceNumber(from.sequenceNumber()).timestamp(from.timestamp()).build();
    }

    private Batch batchOf(SubscribeToShardEvent event) {
        List<KinesisRecord> records = new ArrayList<>();
        for (Record record : event.records()) {
            for (KinesisRecord userRecord : Deaggregator.deaggregate(shardId, record)) {
                if (position == null || userRecord.position().isPast(position)) {
                    records.add(userRecord);
                }
            }
        }
        if (!records.isEmpty()) {
            position = records.get(records.size() - 1).position();
        }
        boolean shardEnded = event.continuationSequenceNumber() == null || !event.childShards().isEmpty();
        if (!shardEnded) {
            continuation = event.continuationSequenceNumber();
            owesRequest = true;
            shardEnded = atTipOfClosedShard(event) && endConfirmed();
        }
        if (shardEnded) {
            close();
        }
        backoff.reset();
        log.trace("Shard {}: an event of {} records, {} ms behind, continuation {}, children {}", shardId,
                event.records().size(), event.millisBehindLatest(), event.continuationSequenceNumber(),
                event.childShards());
        outcomes.succeeded(event.millisBehindLatest());
        listener.fetched(shardId, records.size(), event.millisBehindLatest());
        return new Batch(records, event.millisBehindLatest(), shardEnded);
    }

    private boolean atTipOfClosedShard(SubscribeToShardEvent event) {
        Long behind = event.millisBehindLatest();
        return event.records().isEmpty() && (behind == null || behind == 0) && shardClosed.getAsBoolean()
                && clock.nanoTime() - lastProbeNanos >= PROBE_INTERVAL.toNanos();
    }

    /** The subscription did not say the closed shard ended: one {@code GetRecords} call does. */
    private boolean endConfirmed() {
        lastProbeNanos = clock.nanoTime();
        try {
            boolean ended = endProbe.endsAfter(shardId, continuation);
            if (ended) {
                log.debug("Shard {} is closed and has nothing after {}: read to its end", shardId, continuation);
            }
            return ended;
        }
        catch (RuntimeException failure) {
            log.debug("Could not confirm the end of shard {}; asking again later: {}", shardId, failure.toString());
            return false;
        }
    }

    private void failedWith(Throwable failure) {
        subscription = null;
        String error = failure.toString();
        outcomes.failed(error);
        listener.readFailed(shardId, error);
        Duration wait = backoff.next();
        if (failure instanceof ResourceInUseException) {
            log.info("Shard {} is still subscribed by its previous reader; subscribing again in {}", shardId, wait);
        }
        else if (failure instanceof LimitExceededException || failure instanceof ProvisionedThroughputExceededException
                || failure instanceof KmsThrottlingException) {
            listener.throttled(shardId);
            log.debug("Subscribing to shard {} was throttled ({} in a row); waiting {}", shardId, backoff.failures(), wait);
        }
        else if (failure instanceof StreamConsumerRegistration.FanOutUnavailableException) {
            log.error("Shard {} cannot be read: {}", shardId, failure.getMessage());
        }
        else {
            if (failure instanceof ResourceNotFoundException) {
                consumer.forget();
            }
            log.warn("Reading shard {} through its subscription failed ({} in a row); subscribing again in {}: {}",
                    shardId, backoff.failures(), wait, error);
        }
        notBeforeNanos = clock.nanoTime() + wait.toNanos();
    }
}
