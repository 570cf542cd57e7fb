package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.Lease;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Each checkpoint mode, on kinesis-local and dynalite, by polling and by enhanced fan-out: what is processed, and what is checkpointed when. */
@ParameterizedClass(name = "{0}")
@EnumSource(Retrieval.class)
class CheckpointModeTests {

    @Parameter
    Retrieval retrieval;

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void batchModeProcessesEveryRecordOnceAndCheckpointsTheLastOfEachShard() {
        try (Workers workers = new Workers(2, retrieval)) {
            List<String> names = workers.kinesis.put(workers.stream, "batch", 200);
            workers.start("worker", settings -> settings.checkpointMode(CheckpointMode.BATCH));

            workers.awaitProcessed(names, LIMIT);

            await().atMost(LIMIT).untilAsserted(() -> assertCheckpointsAtTheLastRecordOfEachShard(workers));
            workers.assertNoDuplicatesUnlessALeaseWasLost();
        }
    }

    @Test
    void recordModeHandsOverOneRecordAtATimeAndCheckpointsTheLast() {
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        try (Workers workers = new Workers(1, retrieval)) {
            List<String> names = workers.kinesis.put(workers.stream, "record", 50);
            workers.start("worker", settings -> settings.checkpointMode(CheckpointMode.RECORD), recording -> (records, checkpointer) -> {
                batchSizes.add(records.size());
                recording.process(records, checkpointer);
            }, workers.kinesis.client());

            workers.awaitProcessed(names, LIMIT);

            assertThat(batchSizes).hasSize(50).containsOnly(1);
            await().atMost(LIMIT).untilAsserted(() -> assertCheckpointsAtTheLastRecordOfEachShard(workers));
        }
    }

    @Test
    void periodicModeCheckpointsAfterEnoughRecordsOrAfterTheInterval() {
        try (Workers workers = new Workers(1, retrieval)) {
            workers.kinesis.put(workers.stream, "few", 5);
            workers.start("worker", settings -> settings.checkpointMode(CheckpointMode.PERIODIC)
                    .checkpointEveryRecords(20).checkpointEveryInterval(Duration.ofHours(1)));
            await().atMost(LIMIT).until(() -> workers.processed.size() == 5);
            pause(Duration.ofMillis(500));
            assertThat(onlyRow(workers).checkpoint()).as("5 of 20 records, and the interval not over").isNull();

            workers.kinesis.put(workers.stream, "more", 20);

            await().atMost(LIMIT).untilAsserted(() -> assertCheckpointsAtTheLastRecordOfEachShard(workers));
        }
        try (Workers workers = new Workers(1, retrieval)) {
            workers.kinesis.put(workers.stream, "few", 5);
            workers.start("worker", settings -> settings.checkpointMode(CheckpointMode.PERIODIC)
                    .checkpointEveryRecords(1000).checkpointEveryInterval(Duration.ofMillis(300)));

            await().atMost(LIMIT).untilAsserted(() -> assertCheckpointsAtTheLastRecordOfEachShard(workers));
        }
    }

    @Test
    void manualModeCheckpointsOnlyWhereTheProcessorSays() {
        try (Workers workers = new Workers(1, retrieval)) {
            List<String> names = workers.kinesis.put(workers.stream, "manual", 10);
            List<String> sequenceNumbers = new ArrayList<>();
            workers.start("worker", settings -> settings.checkpointMode(CheckpointMode.MANUAL), recording -> (records, checkpointer) -> {
                recording.process(records, checkpointer);
                for (KinesisRecord record : records) {
                    sequenceNumbers.add(record.sequenceNumber());
                    if (record.data().asUtf8String().equals("manual-6")) {
                        checkpointer.checkpoint(record);
                    }
                }
            }, workers.kinesis.client());

            workers.awaitProcessed(names, LIMIT);

            await().atMost(LIMIT).until(() -> onlyRow(workers).checkpoint() != null);
            pause(Duration.ofMillis(500));
            assertThat(onlyRow(workers).checkpoint()).isEqualTo(sequenceNumbers.get(6));
        }
    }

    @Test
    void manualModeNeedsAProcessorThatCanCheckpoint() {
        assertThatThrownBy(() -> KinesisConsumer.builder().kinesisClient(TestKinesis.shared().client())
                .settings(KinesisConsumerSettings.builder().streamName("s").checkpointMode(CheckpointMode.MANUAL).build())
                .processor(records -> { }).build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("CheckpointingRecordProcessor");
    }

    private static void assertCheckpointsAtTheLastRecordOfEachShard(Workers workers) {
        Map<String, Lease> rows = workers.rows();
        assertThat(rows).isNotEmpty();
        for (Lease row : rows.values()) {
            String last = lastSequenceNumber(workers, row.shardId());
            assertThat(row.checkpoint()).as("checkpoint of " + row.shardId()).isEqualTo(last);
        }
    }

    static String lastSequenceNumber(Workers workers, String shardId) {
        var records = workers.kinesis.client().getRecords(get -> get.shardIterator(workers.kinesis.client()
                .getShardIterator(it -> it.streamName(workers.stream).shardId(shardId).shardIteratorType("TRIM_HORIZON"))
                .shardIterator())).records();
        return records.isEmpty() ? null : records.get(records.size() - 1).sequenceNumber();
    }

    private static Lease onlyRow(Workers workers) {
        return workers.rows().values().iterator().next();
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

}
