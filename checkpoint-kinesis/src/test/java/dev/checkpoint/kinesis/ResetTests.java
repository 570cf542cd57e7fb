package dev.checkpoint.kinesis;

import static dev.checkpoint.kinesis.CheckpointModeTests.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.checkpoint.Lease;
import dev.checkpoint.ResetRequest;
import dev.checkpoint.StartingPosition;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * An operator's reset of a running consumer, on kinesis-local and dynalite, by polling and by enhanced fan-out: the reader stops, and reads again from the
 * reset position, an {@code AT_TIMESTAMP} or {@code AT_SEQUENCE_NUMBER} iterator; then checkpoints as usual.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Retrieval.class)
class ResetTests {

    @Parameter
    Retrieval retrieval;

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void aResetToATimestampReadsAgainExactlyTheRecordsPutAtOrAfterIt() {
        try (Workers workers = new Workers(1, retrieval)) {
            List<String> before = workers.kinesis.put(workers.stream, "before", 10);
            pause(Duration.ofMillis(1100));
            Instant from = Instant.now();
            pause(Duration.ofMillis(1100));
            List<String> after = workers.kinesis.put(workers.stream, "after", 10);
            Workers.Worker worker = workers.start("worker", settings -> settings);
            workers.awaitProcessed(after, LIMIT);
            awaitCheckpointOf(workers, after.get(after.size() - 1));
            int mark = workers.names().size();

            worker.coordinator.reset(ResetRequest.allShards(StartingPosition.atTimestamp(from)).requestedBy("test"));

            await().atMost(LIMIT).until(() -> workers.names().size() >= mark + after.size());
            pause(Duration.ofMillis(500));
            assertThat(workers.names().subList(mark, workers.names().size())).containsExactlyElementsOf(after);
            assertThat(before).allSatisfy(name -> assertThat(workers.names()).containsOnlyOnce(name));
            awaitCheckpointOf(workers, after.get(after.size() - 1));
            assertThat(workers.rows().values()).allSatisfy(row -> {
                assertThat(row.pendingReset()).isNull();
                assertThat(row.startingPosition()).isNull();
            });
        }
    }

    @Test
    void aResetToASequenceNumberReadsAgainFromThatRecord() {
        try (Workers workers = new Workers(1, retrieval)) {
            List<String> records = workers.kinesis.put(workers.stream, "record", 10);
            Workers.Worker worker = workers.start("worker", settings -> settings);
            workers.awaitProcessed(records, LIMIT);
            awaitCheckpointOf(workers, records.get(9));
            int mark = workers.names().size();
            String shardId = workers.rows().keySet().iterator().next();

            worker.coordinator.reset(ResetRequest.shards(StartingPosition.atSequenceNumber(
                    workers.sequenceNumbers.get(records.get(4))), List.of(shardId)));

            await().atMost(LIMIT).until(() -> workers.names().size() >= mark + 6);
            pause(Duration.ofMillis(500));
            assertThat(workers.names().subList(mark, workers.names().size())).containsExactlyElementsOf(records.subList(4, 10));
            awaitCheckpointOf(workers, records.get(9));
        }
    }

    private static void awaitCheckpointOf(Workers workers, String name) {
        await().atMost(LIMIT).until(() -> workers.sequenceNumbers.get(name) != null && workers.rows().values().stream()
                .map(Lease::checkpoint).anyMatch(workers.sequenceNumbers.get(name)::equals));
    }
}
