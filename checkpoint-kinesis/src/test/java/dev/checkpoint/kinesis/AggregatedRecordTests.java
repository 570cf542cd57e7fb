package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.checkpoint.Lease;
import dev.checkpoint.kinesis.Workers.Worker;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

/**
 * KPL aggregated records on kinesis-local: the processor gets the user records, and a restart inside an aggregate
 * resumes with the next user record, from the sub-sequence number checkpointed beside {@code Checkpoint}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Retrieval.class)
class AggregatedRecordTests {

    @Parameter
    Retrieval retrieval;

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void userRecordsAreProcessedAndARestartInsideAnAggregateResumesWithTheNextOne() {
        try (Workers workers = new Workers(1, retrieval)) {
            List<String> first = names("first", 10);
            List<String> second = names("second", 10);
            putAggregate(workers, first);
            putAggregate(workers, second);
            // record mode: a checkpoint after each user record; this worker stops dead after "first-4"
            Worker doomed = workers.start("doomed", settings -> settings.checkpointMode(CheckpointMode.RECORD),
                    recording -> (records, checkpointer) -> {
                        recording.process(records, checkpointer);
                        if (records.get(0).data().asUtf8String().equals("first-4")) {
                            checkpointer.checkpoint(records.get(0));
                            await().atMost(LIMIT).until(() -> "4".equals(subSequenceOf(workers)));
                            workers.byId.get("doomed").kill();
                            Thread.sleep(Long.MAX_VALUE);
                        }
                    }, workers.kinesis.client());
            await().atMost(LIMIT).until(() -> doomed.frozen);
            Lease stored = workers.rows().values().iterator().next();
            assertThat(stored.checkpointSubSequenceNumber()).isEqualTo(4L);

            List<String> processedByDoomed = List.copyOf(workers.names());
            workers.start("next", settings -> settings);

            List<String> all = new ArrayList<>(first);
            all.addAll(second);
            workers.awaitProcessed(all, LIMIT);
            assertThat(processedByDoomed).containsExactlyElementsOf(first.subList(0, 5));
            assertThat(workers.names()).as("nothing processed twice: the next worker starts at first-5")
                    .containsExactlyElementsOf(all);
        }
    }

    private static String subSequenceOf(Workers workers) {
        Lease row = workers.rows().values().iterator().next();
        return row.checkpointSubSequenceNumber() == null ? null : row.checkpointSubSequenceNumber().toString();
    }

    private static List<String> names(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    private static void putAggregate(Workers workers, List<String> data) {
        byte[] aggregate = Aggregates.aggregate(List.of("key"), data);
        workers.kinesis.client().putRecord(put -> put.streamName(workers.stream).partitionKey("aggregate")
                .data(SdkBytes.fromByteArray(aggregate)));
    }
}
