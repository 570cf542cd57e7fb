package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.MonotonicClock;
import dev.checkpoint.StartingPosition;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerDescription;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamConsumerRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamConsumerResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardRequest;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponse;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;

/**
 * What no local Kinesis lets a test provoke at will, on a scripted {@code SubscribeToShard}: the service ending a
 * subscription (every 5 minutes), a subscription refused while the previous owner's is open, a processor slower than
 * the stream, and a lost lease. The rest of fan-out runs on kinesis-local, in every consumer test.
 */
class FanOutRecordSupplierTests {

    private static final String CONSUMER_ARN = "arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/app:1";
    private static final KinesisConsumerSettings SETTINGS = KinesisConsumerSettings.builder().streamName("s")
            .retrieval(Retrieval.FAN_OUT).consumerArn(CONSUMER_ARN).idleInterval(Duration.ofMillis(50)).build();

    private final ScriptedKinesis kinesis = new ScriptedKinesis();
    private final StopSignal stop = new StopSignal();
    private final FanOutRecordSupplier supplier = new FanOutRecordSupplier(kinesis,
            new StreamConsumerRegistration(kinesis, SETTINGS.stream(), null, CONSUMER_ARN), "shardId-0", null,
            StartingPosition.trimHorizon(), () -> false, null, SETTINGS, stop, new ShardConsumerListener() { },
            new ReadOutcomes(MonotonicClock.SYSTEM), (delayNanos, wake) -> { }, MonotonicClock.SYSTEM); // the tests ask again

    @Test
    void aSubscriptionTheServiceEndsIsFollowedByOneAfterTheLastContinuationSoNothingIsSkippedOrReadTwice() {
        kinesis.subscriptions.add(new Script(List.of(event("c2", "1", "2"), event("c3", "3"))));
        kinesis.subscriptions.add(new Script(List.of(event("c4", "4"))));

        List<String> read = readUntil(4);

        assertThat(read).containsExactly("1", "2", "3", "4");
        assertThat(kinesis.requests).hasSize(2);
        assertThat(kinesis.requests.get(0).startingPosition().type()).isEqualTo(ShardIteratorType.TRIM_HORIZON);
        assertThat(kinesis.requests.get(1).startingPosition().type()).isEqualTo(ShardIteratorType.AFTER_SEQUENCE_NUMBER);
        assertThat(kinesis.requests.get(1).startingPosition().sequenceNumber()).isEqualTo("c3");
    }

    @Test
    void aSubscriptionRefusedWhileThePreviousOwnersIsOpenIsTriedAgain() {
        kinesis.subscriptions.add(Script.refused(ResourceInUseException.builder().message("another subscription").build()));
        kinesis.subscriptions.add(new Script(List.of(event("c1", "1"))));

        assertThat(readUntil(1)).containsExactly("1");
        assertThat(kinesis.requests).hasSize(2);
    }

    @Test
    void aSlowProcessorHoldsOneEventAndKinesisIsAskedForTheNextOnlyOnceItTookTheLast() {
        List<SubscribeToShardEventStream> plenty = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            plenty.add(event("c" + i, Integer.toString(i)));
        }
        Script script = new Script(plenty);
        kinesis.subscriptions.add(script);

        for (int taken = 1; taken <= 3; taken++) {
            assertThat(nextWithRecords()).hasSize(1);
            pause(Duration.ofMillis(100)); // the processor at work
            assertThat(script.requested.get()).as("events asked for, with %d taken", taken).isEqualTo(taken);
        }
    }

    @Test
    void aLostLeaseCancelsTheSubscriptionAtOnce() {
        Script script = new Script(List.of(event("c1", "1"), event("c2", "2")));
        kinesis.subscriptions.add(script);
        assertThat(nextWithRecords()).hasSize(1);

        stop.abandon();

        assertThat(script.cancelled).isTrue();
        assertThat(supplier.next()).isNull();
    }

    private List<String> readUntil(int count) {
        List<String> read = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            RecordSupplier.Batch batch = supplier.next();
            batch.records().forEach(record -> read.add(record.data().asUtf8String()));
            return read.size() >= count;
        });
        return read;
    }

    private List<KinesisRecord> nextWithRecords() {
        List<KinesisRecord> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            records.addAll(supplier.next().records());
            return !records.isEmpty();
        });
        return records;
    }

    private static SubscribeToShardEvent event(String continuation, String... data) {
        List<Record> records = new ArrayList<>();
        for (String text : data) {
            records.add(Record.builder().sequenceNumber(text).partitionKey("k").data(SdkBytes.fromUtf8String(text))
                    .approximateArrivalTimestamp(Instant.now()).build());
        }
        return SubscribeToShardEvent.builder().records(records).continuationSequenceNumber(continuation)
                .millisBehindLatest(0L).build();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One subscription: its events, sent as asked for, then the end; or a refusal. */
    private static final class Script implements Publisher<SubscribeToShardEventStream> {

        final Deque<SubscribeToShardEventStream> events;
        final RuntimeException refusal;
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Script(List<SubscribeToShardEventStream> events) {
            this(events, null);
        }

        private Script(List<SubscribeToShardEventStream> events, RuntimeException refusal) {
            this.events = new ConcurrentLinkedDeque<>(events);
            this.refusal = refusal;
        }

        static Script refused(RuntimeException refusal) {
            return new Script(List.of(), refusal);
        }

        @Override
        public void subscribe(Subscriber<? super SubscribeToShardEventStream> subscriber) {
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    requested.addAndGet(n);
                    for (long i = 0; i < n; i++) {
                        SubscribeToShardEventStream next = events.poll();
                        if (next == null) {
                            break;
                        }
                        subscriber.onNext(next);
                    }
                    if (events.isEmpty() && !cancelled.get()) {
                        subscriber.onComplete();
                        done.complete(null);
                    }
                }

                @Override
                public void cancel() {
                    cancelled.set(true);
                    done.complete(null);
                }
            });
        }
    }

    /** A Kinesis that answers each SubscribeToShard with the next script, and knows the consumer as ACTIVE. */
    private static final class ScriptedKinesis implements KinesisAsyncClient {

        final Deque<Script> subscriptions = new ConcurrentLinkedDeque<>();
        final List<SubscribeToShardRequest> requests = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<DescribeStreamConsumerResponse> describeStreamConsumer(DescribeStreamConsumerRequest request) {
            return CompletableFuture.completedFuture(DescribeStreamConsumerResponse.builder().consumerDescription(
                    ConsumerDescription.builder().consumerARN(CONSUMER_ARN).consumerStatus(ConsumerStatus.ACTIVE).build())
                    .build());
        }

        @Override
        public CompletableFuture<Void> subscribeToShard(SubscribeToShardRequest request,
                SubscribeToShardResponseHandler handler) {
            requests.add(request);
            Script script = subscriptions.poll();
            if (script == null) {
                return new CompletableFuture<>(); // nothing more scripted: a subscription that stays silent
            }
            if (script.refusal != null) {
                handler.exceptionOccurred(script.refusal);
                return CompletableFuture.failedFuture(script.refusal);
            }
            handler.responseReceived(SubscribeToShardResponse.builder().build());
            handler.onEventStream(SdkPublisher.adapt(script));
            return script.done;
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }
}
