package dev.checkpoint.kinesis;

import static dev.checkpoint.kinesis.CheckpointModeTests.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Each initial position, for a shard without a checkpoint; and a checkpoint wins over any of them. */
@ParameterizedClass(name = "{0}")
@EnumSource(Retrieval.class)
class InitialPositionTests {

    @Parameter
    Retrieval retrieval;

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void trimHorizonReadsWhatWasPutBeforeTheStart() {
        try (Workers workers = new Workers(1, retrieval)) {
            List<String> before = workers.kinesis.put(workers.stream, "before", 10);
            workers.start("worker", settings -> settings.initialPosition(InitialPosition.trimHorizon()));

            workers.awaitProcessed(before, LIMIT);
        }
    }

    @Test
    void latestReadsOnlyWhatIsPutAfterTheShardIsFirstRead() {
        try (Workers workers = new Workers(1, retrieval)) {
            workers.kinesis.put(workers.stream, "before", 10);
            Workers.Worker worker = workers.start("worker", settings -> settings.initialPosition(InitialPosition.latest()));
            // The reader has its LATEST iterator once a read has come back: whatever is put from then on is after it.
            await().atMost(LIMIT).until(() -> worker.consumer.status().values().stream()
                    .anyMatch(shard -> shard.millisBehindLatest() != null));

            List<String> after = workers.kinesis.put(workers.stream, "after", 10);

            workers.awaitProcessed(after, LIMIT);
            assertThat(workers.names()).containsExactlyElementsOf(after);
        }
    }

    @Test
    void atTimestampReadsFromTheFirstRecordPutAtOrAfterIt() {
        try (Workers workers = new Workers(1, retrieval)) {
            workers.kinesis.put(workers.stream, "before", 10);
            pause(Duration.ofMillis(1100));
            Instant from = Instant.now();
            pause(Duration.ofMillis(1100));
            List<String> after = workers.kinesis.put(workers.stream, "after", 10);

            workers.start("worker", settings -> settings.initialPosition(InitialPosition.atTimestamp(from)));

            workers.awaitProcessed(after, LIMIT);
            pause(Duration.ofMillis(300));
            assertThat(workers.names()).containsExactlyElementsOf(after);
        }
    }

    @Test
    void aCheckpointWinsOverTheInitialPosition() {
        try (Workers workers = new Workers(1, retrieval)) {
            List<String> first = workers.kinesis.put(workers.stream, "first", 10);
            Workers.Worker worker = workers.start("worker", settings -> settings.initialPosition(InitialPosition.trimHorizon()));
            workers.awaitProcessed(first, LIMIT);
            worker.coordinator.stop();
            List<String> second = workers.kinesis.put(workers.stream, "second", 10);

            workers.start("restarted", settings -> settings.initialPosition(InitialPosition.latest()));

            workers.awaitProcessed(second, LIMIT);
            assertThat(workers.duplicates()).as("records read again after a graceful stop").isZero();
        }
    }
}
