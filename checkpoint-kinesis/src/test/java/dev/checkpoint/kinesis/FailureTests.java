package dev.checkpoint.kinesis;

import static dev.checkpoint.kinesis.CheckpointModeTests.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.checkpoint.Lease;
import dev.checkpoint.kinesis.Workers.Worker;
import org.junit.jupiter.api.Test;

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
            assertThat(workers.duplicates()).isZero();
        }
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
            assertThat(workers.duplicates()).isZero();
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
            assertThat(workers.duplicates()).isZero();
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
