package dev.checkpoint.kinesis;

import static dev.checkpoint.kinesis.CheckpointModeTests.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.checkpoint.StreamIdentityMismatchException;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Consumer groups of a shared lease table on kinesis-local: two applications read one stream through one table, each
 * every record; a stream deleted and created again under its name is told apart by its creation time.
 */
class SharedTableTests {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    private final TestKinesis kinesis = TestKinesis.shared();
    private final String table = TestDynamoDb.uniqueTableName("shared-kinesis");
    private final List<LeaseCoordinator> coordinators = new ArrayList<>();

    @AfterEach
    void stop() {
        coordinators.forEach(coordinator -> coordinator.stop(Duration.ofSeconds(2)));
    }

    @Test
    void twoGroupsReadingOneStreamThroughOneTableEachProcessEveryRecord() {
        String stream = kinesis.createStream(2);
        List<String> records = kinesis.put(stream, "record", 40);
        List<String> orders = new CopyOnWriteArrayList<>();
        List<String> audit = new CopyOnWriteArrayList<>();

        start("orders", "orders-1", stream, orders);
        start("audit", "audit-1", stream, audit);

        await().atMost(LIMIT).until(() -> orders.containsAll(records) && audit.containsAll(records));
        pause(Duration.ofMillis(500));
        assertThat(orders).hasSameSizeAs(records);
        assertThat(audit).hasSameSizeAs(records);
    }

    @Test
    void aStreamCreatedAgainUnderItsNameIsRefusedToTheGroupThatReadTheOldOne() {
        String stream = kinesis.createStream(1);
        List<String> processed = new CopyOnWriteArrayList<>();
        LeaseCoordinator first = start("orders", "orders-1", stream, processed);
        await().atMost(LIMIT).until(() -> first.ownedShards().size() == 1);
        first.stop(Duration.ofSeconds(2));
        kinesis.client().deleteStream(delete -> delete.streamName(stream));
        await().atMost(LIMIT).until(() -> {
            try {
                kinesis.client().describeStreamSummary(describe -> describe.streamName(stream));
                return false;
            }
            catch (ResourceNotFoundException gone) {
                return true;
            }
        });
        pause(Duration.ofMillis(1100));   // stream creation times are kept to the second
        kinesis.client().createStream(create -> create.streamName(stream).shardCount(1));
        kinesis.awaitActive(stream);

        LeaseCoordinator again = coordinator("orders", "orders-2", stream, processed);

        assertThatThrownBy(again::start).isInstanceOf(StreamIdentityMismatchException.class)
                .hasMessageContaining("consumer group orders").hasMessageContaining(stream);
    }

    private LeaseCoordinator start(String group, String workerId, String stream, List<String> processed) {
        LeaseCoordinator coordinator = coordinator(group, workerId, stream, processed);
        coordinator.start();
        return coordinator;
    }

    private LeaseCoordinator coordinator(String group, String workerId, String stream, List<String> processed) {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient())
                .tableName(table).workerId(workerId).consumerGroup(group).leaseDuration(Workers.LEASE).build();
        checkpointer.init();
        KinesisConsumer consumer = KinesisConsumer.builder().kinesisClient(kinesis.client())
                .settings(KinesisConsumerSettings.builder().streamName(stream).idleInterval(Duration.ofMillis(100)).build())
                .processor(records -> records.forEach(record -> processed.add(record.data().asUtf8String())))
                .build();
        LeaseCoordinator coordinator = LeaseCoordinator.builder().checkpointer(checkpointer)
                .shardSource(consumer.shardSource()).listener(consumer).syncInterval(Workers.SYNC).build();
        coordinators.add(coordinator);
        return coordinator;
    }
}
