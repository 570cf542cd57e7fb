package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import dev.checkpoint.LeaseStore;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.kinesis.migration.CheckpointExport;
import dev.checkpoint.kinesis.migration.CheckpointImport;
import dev.checkpoint.kinesis.migration.KclLeaseTable;
import dev.checkpoint.kinesis.migration.MigrationOptions;
import dev.checkpoint.kinesis.migration.MigrationRefusedException;
import dev.checkpoint.kinesis.migration.MigrationReport;
import dev.checkpoint.kinesis.migration.MigrationReport.Action;
import dev.checkpoint.kinesis.migration.StreamShards;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Switching from the real Java KCL 3.5.1 and back, on one stream, counting the records: after the import, this library
 * processes every record put after the KCL's checkpoints and none before; after the export, the KCL does the same with
 * this library's. Each direction is refused while the side it reads from still runs.
 */
@Tag("long")
class KclMigrationTests {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    /**
     * Longer than the KCL's renewal interval here (641 ms for its 2 s lease) and than this library's in {@link Workers}
     * (a third of its 2 s lease): either side's renewals are seen.
     */
    private static final Duration OBSERVE = Duration.ofSeconds(2);

    @Test
    void fromTheKclWithoutReprocessing() throws InterruptedException {
        try (Workers workers = new Workers(2); DynamoDbClient dynamoDb = TestDynamoDb.shared().newClient()) {
            String kclTable = "kcl-" + workers.table;
            List<String> first = workers.kinesis.put(workers.stream, "first", 20);
            KclLeaseTable kclSource = new KclLeaseTable(dynamoDb, kclTable, workers.stream);
            StreamShards shards = StreamShards.list(workers.kinesis.client(), workers.stream);
            LeaseStore ours = store(workers.table);
            try (KclApplication kcl = KclApplication.start(workers.stream, kclTable)) {
                await().atMost(LIMIT).until(() -> kcl.processed.containsAll(first));

                assertThatThrownBy(() -> importing(ours, kclSource, shards).run())
                        .isInstanceOf(MigrationRefusedException.class).hasMessageContaining("still runs");
                assertThat(ours.scan()).as("nothing written while the KCL runs").isEmpty();
            }
            List<String> second = workers.kinesis.put(workers.stream, "second", 20);

            MigrationReport imported = importing(ours, kclSource, shards).run();

            assertThat(imported.count(Action.WRITTEN)).as(imported.toText()).isEqualTo(2);
            workers.start("ours", settings -> settings.initialPosition(InitialPosition.trimHorizon()));
            workers.awaitProcessed(second, LIMIT);
            assertThat(workers.names()).as("nothing the KCL had checkpointed is processed again")
                    .containsExactlyInAnyOrderElementsOf(second);
        }
    }

    /**
     * The KCL checkpointed a shard part of the way, and the shard was split after it stopped: this library finishes the
     * parent from the KCL's checkpoint before it reads the children.
     */
    @Test
    void fromTheKclThroughASplitParentsFirst() throws InterruptedException {
        try (Workers workers = new Workers(1); DynamoDbClient dynamoDb = TestDynamoDb.shared().newClient()) {
            String kclTable = "kcl-split-" + workers.table;
            String parent = workers.kinesis.shards(workers.stream).get(0).shardId();
            List<String> first = workers.kinesis.put(workers.stream, "first", 20);
            try (KclApplication kcl = KclApplication.start(workers.stream, kclTable)) {
                await().atMost(LIMIT).until(() -> kcl.processed.containsAll(first));
            }
            List<String> inParent = workers.kinesis.put(workers.stream, "in-parent", 20);
            workers.kinesis.split(workers.stream, parent);
            List<String> inChildren = workers.kinesis.put(workers.stream, "in-child", 20);
            LeaseStore ours = store(workers.table);

            MigrationReport imported = importing(ours, new KclLeaseTable(dynamoDb, kclTable, workers.stream),
                    StreamShards.list(workers.kinesis.client(), workers.stream)).run();

            assertThat(imported.count(Action.WRITTEN)).as(imported.toText()).isEqualTo(1);
            workers.start("ours", settings -> settings.initialPosition(InitialPosition.trimHorizon()));
            workers.awaitProcessed(inChildren, LIMIT);
            List<String> names = workers.names();
            assertThat(names).as("the parent from the KCL's checkpoint, then the children")
                    .containsExactlyInAnyOrderElementsOf(concat(inParent, inChildren));
            int lastOfParent = inParent.stream().mapToInt(names::indexOf).max().orElseThrow();
            int firstOfChildren = inChildren.stream().mapToInt(names::indexOf).min().orElseThrow();
            assertThat(lastOfParent).as("every parent record before any child record").isLessThan(firstOfChildren);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    @Test
    void backToTheKclWithoutReprocessing() throws InterruptedException {
        try (Workers workers = new Workers(2); DynamoDbClient dynamoDb = TestDynamoDb.shared().newClient()) {
            List<String> first = workers.kinesis.put(workers.stream, "first", 20);
            Workers.Worker worker = workers.start("ours", settings -> settings.initialPosition(InitialPosition.trimHorizon()));
            workers.awaitProcessed(first, LIMIT);
            LeaseStore ours = store(workers.table);
            StreamShards shards = StreamShards.list(workers.kinesis.client(), workers.stream);
            String kclTable = "kcl-back-" + workers.table;
            KclApplication.createLeaseTable(kclTable);
            CheckpointExport.Builder export = CheckpointExport.builder().store(ours).dynamoDbClient(dynamoDb)
                    .kclTable(kclTable).stream(shards).options(MigrationOptions.defaults().withObserveFor(OBSERVE).withRequestedBy("test"));
            assertThatThrownBy(() -> export.build().run()).isInstanceOf(MigrationRefusedException.class)
                    .hasMessageContaining("this group runs");
            worker.stop();
            List<String> second = workers.kinesis.put(workers.stream, "second", 20);

            MigrationReport exported = export.build().run();

            assertThat(exported.count(Action.WRITTEN)).as(exported.toText()).isEqualTo(2);
            try (KclApplication back = KclApplication.start(workers.stream, kclTable)) {
                await().atMost(LIMIT).until(() -> back.processed.containsAll(second));
                assertThat(back.processed).as("the KCL resumes at our checkpoints").containsExactlyInAnyOrderElementsOf(second);
            }
        }
    }

    private static CheckpointImport importing(LeaseStore ours, KclLeaseTable source, StreamShards shards) {
        return CheckpointImport.builder().store(ours).source(source).stream(shards)
                .options(MigrationOptions.defaults().withObserveFor(OBSERVE).withRequestedBy("test")).build();
    }

    /** The lease store of the group the workers of {@code table} will be, its table made. */
    static LeaseStore store(String table) {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient())
                .tableName(table).workerId("migration").build();
        checkpointer.init();
        return checkpointer.leaseStore();
    }
}
