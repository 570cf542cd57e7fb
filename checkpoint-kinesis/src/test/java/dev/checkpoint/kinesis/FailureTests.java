package dev.checkpoint.kinesis;

import static dev.checkpoint.kinesis.CheckpointModeTests.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.checkpoint.Lease;
import dev.checkpoint.kinesis.Workers.Worker;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** Kinesis failing (throttling, an expired iterator) and the processor failing (each failure policy). */
class FailureTests {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void throttlingIsWaitedOutAndNothingIsLostOrReadTwice() {
        KinesisFaults faults = new KinesisFaults();
        try (Workers workers = new Workers(1)) {
            List<String> first = workers.kinesis.put(workers.stream, "first", 20);
            Worker worker = workers.start("worker", settings -> settings, recording -> recording,
                    TestKinesis.newClient(faults));
            workers.awaitProcessed(first, LIMIT);

            faults.throttleNext(12);
            List<String> second = workers.kinesis.put(workers.stream, "second", 20);

            workers.awaitProcessed(second, LIMIT);
            assertThat(faults.injected()).isEqualTo(12);
            assertThat(worker.throttled.get()).as("throttled calls after the SDK's own retries").isPositive();
            workers.assertNoDuplicatesUnlessALeaseWasLost();
        }
    }

    /**
     * Reads that keep failing (here refused, as for credentials without the right) are visible: the shard's lag grows
     * with the time since its last read that worked, and its last error is shown, until reads work again. Before, the
     * lag stayed at what the last read said (0) and nothing told of the failures.
     */
    @Test
    void readsThatKeepFailingShowTheirErrorAndALagThatGrowsUntilTheyWorkAgain() {
        KinesisFaults faults = new KinesisFaults();
        try (Workers workers = new Workers(1)) {
            List<String> first = workers.kinesis.put(workers.stream, "first", 5);
            Worker worker = workers.start("worker", settings -> settings, recording -> recording,
                    TestKinesis.newClient(faults));
            workers.awaitProcessed(first, LIMIT);

            faults.refuseReads(true);
            await().atMost(LIMIT).until(() -> status(worker).lastReadError() != null);
            long lagThen = status(worker).millisBehindLatest();
            await().atMost(LIMIT).until(() -> status(worker).millisBehindLatest() >= lagThen + 500);

            assertThat(status(worker).lastReadError()).contains("not authorized to GetRecords");
            assertThat(status(worker).readsFailingFor()).isPositive();
            faults.refuseReads(false);
            List<String> second = workers.kinesis.put(workers.stream, "second", 5);
            workers.awaitProcessed(second, LIMIT);
            await().atMost(LIMIT).until(() -> status(worker).lastReadError() == null);
            assertThat(status(worker).readsFailingFor()).isNull();
        }
    }

    /** A stream that does not exist is said to be missing, not read as an empty one. */
    @Test
    void aStreamThatDoesNotExistIsReportedMissing() {
        try (Workers workers = new Workers(1)) {
            KinesisShardSource source = KinesisConsumer.builder().kinesisClient(workers.kinesis.client())
                    .settings(KinesisConsumerSettings.builder().streamName("no-such-stream").build())
                    .processor(records -> { }).build().shardSource();

            assertThatThrownBy(source::listShards).isInstanceOf(ResourceNotFoundException.class);

            assertThat(source.streamMissing()).isTrue();
            assertThat(source.listingError()).contains("no-such-stream");
        }
    }

    private static ShardConsumerStatus status(Worker worker) {
        return worker.consumer.status().values().iterator().next();
    }

    @Test
    void anExpiredIteratorIsReplacedAfterTheLastRecordRead() {
        KinesisFaults faults = new KinesisFaults();
        try (Workers workers = new Workers(1)) {
            List<String> first = workers.kinesis.put(workers.stream, "first", 20);
            workers.start("worker", settings -> settings, recording -> recording, TestKinesis.newClient(faults));
            workers.awaitProcessed(first, LIMIT);

            faults.expireNextIterator();
            List<String> second = workers.kinesis.put(workers.stream, "second", 20);

            workers.awaitProcessed(second, LIMIT);
            assertThat(faults.injected()).isEqualTo(1);
            workers.assertNoDuplicatesUnlessALeaseWasLost();
            assertThat(workers.names()).hasSize(40);
        }
    }

    @Test
    void aBatchThatFailsIsDeliveredAgainAndCheckpointedOnlyOnceItWorks() {
        AtomicInteger attempts = new AtomicInteger();
        try (Workers workers = new Workers(1)) {
            List<String> names = workers.kinesis.put(workers.stream, "flaky", 10);
            workers.start("worker", settings -> settings.maxAttempts(3), recording -> (records, checkpointer) -> {
                if (attempts.incrementAndGet() <= 2) {
                    throw new IllegalStateException("downstream is away");
                }
                recording.process(records, checkpointer);
            }, workers.kinesis.client());

            workers.awaitProcessed(names, LIMIT);

            assertThat(attempts.get()).isGreaterThanOrEqualTo(3);
            workers.assertNoDuplicatesUnlessALeaseWasLost();
            await().atMost(LIMIT).until(() -> onlyRow(workers).checkpoint() != null);
        }
    }

    @Test
    void underHandOffAShardWhoseBatchKeepsFailingIsReleasedWithoutCheckpointingIt() {
        try (Workers workers = new Workers(1)) {
            List<String> good = workers.kinesis.put(workers.stream, "good", 5);
            Worker worker = workers.start("worker", settings -> settings.maxAttempts(2).failurePolicy(FailurePolicy.HAND_OFF),
                    recording -> (records, checkpointer) -> {
                        if (records.stream().anyMatch(record -> record.data().asUtf8String().startsWith("poison"))) {
                            throw new IllegalArgumentException("cannot parse");
                        }
                        recording.process(records, checkpointer);
                    }, workers.kinesis.client());
            workers.awaitProcessed(good, LIMIT);
            await().atMost(LIMIT).until(() -> onlyRow(workers).checkpoint() != null);
            String checkpointBeforePoison = onlyRow(workers).checkpoint();

            workers.kinesis.put(workers.stream, "poison", 1);

            await().atMost(LIMIT).until(() -> worker.handedOff.get() >= 1);
            pause(Duration.ofMillis(300));
            assertThat(onlyRow(workers).checkpoint()).as("the failed batch is not checkpointed").isEqualTo(checkpointBeforePoison);
            assertThat(workers.names()).noneMatch(name -> name.startsWith("poison"));
        }
    }

    @Test
    void underSkipABatchThatKeepsFailingIsLoggedCountedAndPassed() {
        try (Workers workers = new Workers(1)) {
            Worker worker = workers.start("worker", settings -> settings.maxAttempts(2).failurePolicy(FailurePolicy.SKIP),
                    recording -> (records, checkpointer) -> {
                        if (records.stream().anyMatch(record -> record.data().asUtf8String().startsWith("poison"))) {
                            throw new IllegalArgumentException("cannot parse");
                        }
                        recording.process(records, checkpointer);
                    }, workers.kinesis.client());
            await().atMost(LIMIT).until(() -> onlyRow(workers).owner() != null);
            workers.kinesis.put(workers.stream, "poison", 1);
            await().atMost(LIMIT).until(() -> worker.skipped.get() == 1);

            List<String> after = workers.kinesis.put(workers.stream, "after", 5);

            workers.awaitProcessed(after, LIMIT);
            String lastPut = CheckpointModeTests.lastSequenceNumber(workers, onlyRow(workers).shardId());
            await().atMost(LIMIT).until(() -> lastPut.equals(onlyRow(workers).checkpoint()));
            assertThat(worker.consumer.status().values()).singleElement()
                    .satisfies(status -> assertThat(status.failures()).isEqualTo(2));
        }
    }

    private static Lease onlyRow(Workers workers) {
        await().atMost(LIMIT).until(() -> !workers.rows().isEmpty());
        return workers.rows().values().iterator().next();
    }
}
