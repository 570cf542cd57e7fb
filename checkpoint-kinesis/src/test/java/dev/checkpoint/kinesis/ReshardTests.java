package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.Lease;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.Shard;

/**
 * A split and a merge while consuming: each parent is read to its end and checkpointed {@code SHARD_END} before any
 * record of its children is processed, and nothing is lost or read twice. Children start at their beginning even with
 * {@code LATEST}, as their parent was read.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Retrieval.class)
class ReshardTests {

    @Parameter
    Retrieval retrieval;

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @Test
    void aSplitShardIsReadToItsEndBeforeItsChildren() {
        try (Workers workers = new Workers(1, retrieval)) {
            String parent = workers.kinesis.shards(workers.stream).get(0).shardId();
            List<String> beforeSplit = workers.kinesis.put(workers.stream, "parent", 50);
            Workers.Worker worker = workers.start("worker", settings -> settings.initialPosition(InitialPosition.latest()));
            // The reader is at LATEST once a read has come back: whatever is put from then on is after it.
            await().atMost(LIMIT).until(() -> worker.consumer.status().values().stream()
                    .anyMatch(shard -> shard.millisBehindLatest() != null));
            List<String> parentRecords = workers.kinesis.put(workers.stream, "in-parent", 50);

            workers.kinesis.split(workers.stream, parent);
            List<String> childRecords = workers.kinesis.put(workers.stream, "in-child", 100);

            workers.awaitProcessed(childRecords, LIMIT);
            workers.awaitProcessed(parentRecords, LIMIT);
            assertThat(workers.names()).doesNotContainAnyElementsOf(beforeSplit); // LATEST for the parent
            workers.assertNoDuplicatesUnlessALeaseWasLost();
            assertParentsBeforeChildren(workers, "in-parent", "in-child");
            await().atMost(LIMIT).until(() -> CheckpointConstants.SHARD_END.equals(workers.rows().get(parent).checkpoint()));
        }
    }

    @Test
    void mergedShardsAreBothReadToTheirEndBeforeTheirChild() {
        try (Workers workers = new Workers(2, retrieval)) {
            List<Shard> shards = workers.kinesis.shards(workers.stream);
            List<String> parentRecords = workers.kinesis.put(workers.stream, "in-parent", 100);
            workers.start("one", settings -> settings);
            workers.start("two", settings -> settings);
            workers.awaitProcessed(parentRecords, LIMIT);

            workers.kinesis.merge(workers.stream, shards.get(0).shardId(), shards.get(1).shardId());
            List<String> childRecords = workers.kinesis.put(workers.stream, "in-child", 100);

            workers.awaitProcessed(childRecords, LIMIT);
            workers.assertNoDuplicatesUnlessALeaseWasLost();
            assertParentsBeforeChildren(workers, "in-parent", "in-child");
            Set<String> finished = workers.rows().values().stream()
                    .filter(row -> CheckpointConstants.SHARD_END.equals(row.checkpoint())).map(Lease::shardId)
                    .collect(Collectors.toSet());
            assertThat(finished).contains(shards.get(0).shardId(), shards.get(1).shardId());
        }
    }

    /** No record put before the reshard is processed after one put after it. */
    private static void assertParentsBeforeChildren(Workers workers, String parentPrefix, String childPrefix) {
        List<String> names = workers.names();
        int lastParent = -1;
        int firstChild = Integer.MAX_VALUE;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).startsWith(parentPrefix + "-")) {
                lastParent = i;
            }
            else if (names.get(i).startsWith(childPrefix + "-")) {
                firstChild = Math.min(firstChild, i);
            }
        }
        assertThat(lastParent).as("the last parent record is processed before the first child record").isLessThan(firstChild);
    }
}
