package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.checkpoint.LeaseStore;
import dev.checkpoint.kinesis.migration.CheckpointImport;
import dev.checkpoint.kinesis.migration.MigrationOptions;
import dev.checkpoint.kinesis.migration.MigrationRefusedException;
import dev.checkpoint.kinesis.migration.MigrationReport;
import dev.checkpoint.kinesis.migration.MigrationReport.Action;
import dev.checkpoint.kinesis.migration.SpringCloudAwsCheckpoints;
import dev.checkpoint.kinesis.migration.StreamShards;
import dev.checkpoint.testsupport.TestDynamoDb;
import io.awspring.cloud.dynamodb.DynamoDbLockRegistry;
import io.awspring.cloud.dynamodb.DynamoDbLockRepository;
import io.awspring.cloud.dynamodb.DynamoDbMetadataStore;
import io.awspring.cloud.kinesis.integration.KinesisMessageDrivenChannelAdapter;
import io.awspring.cloud.kinesis.integration.KinesisShardOffset;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.integration.channel.DirectChannel;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Switching from Spring Cloud AWS 4.0.0's Kinesis consumer (the polling adapter its binder runs, with its DynamoDB
 * metadata store and lock registry, all real) without reprocessing: refused while it runs; after it stopped, this
 * library processes every record put after its checkpoints and none before.
 */
@Tag("long")
class SpringCloudAwsMigrationTests {

    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void fromSpringCloudAwsWithoutReprocessing() throws Exception {
        TestDynamoDb dynamo = TestDynamoDb.shared();
        String metadataTable = TestDynamoDb.uniqueTableName("metadata");
        String lockTable = TestDynamoDb.uniqueTableName("locks");
        try (Workers workers = new Workers(2); DynamoDbClient dynamoDb = dynamo.newClient();
                DynamoDbAsyncClient asyncDynamoDb = DynamoDbAsyncClient.builder().endpointOverride(dynamo.endpoint())
                        .region(dynamo.region()).credentialsProvider(dynamo.credentials()).build();
                KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(TestKinesis.endpoint())
                        .region(Region.US_EAST_1).credentialsProvider(dynamo.credentials())
                        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build()) {
            List<String> first = workers.kinesis.put(workers.stream, "first", 20);
            List<String> processed = new CopyOnWriteArrayList<>();
            KinesisMessageDrivenChannelAdapter adapter = adapter(kinesis, asyncDynamoDb, metadataTable, lockTable,
                    workers.stream, processed);
            LeaseStore ours = KclMigrationTests.store(workers.table);
            CheckpointImport.Builder importing = CheckpointImport.builder().store(ours)
                    .source(new SpringCloudAwsCheckpoints(dynamoDb, metadataTable, lockTable, "orders", workers.stream))
                    .stream(StreamShards.list(workers.kinesis.client(), workers.stream))
                    .options(MigrationOptions.defaults().withObserveFor(Duration.ofSeconds(3)).withRequestedBy("test"));
            try {
                adapter.start();
                await().atMost(LIMIT).until(() -> processed.containsAll(first));

                assertThatThrownBy(() -> importing.build().run()).isInstanceOf(MigrationRefusedException.class)
                        .hasMessageContaining("still runs");
                assertThat(ours.scan()).isEmpty();
            }
            finally {
                adapter.stop();
            }
            List<String> second = workers.kinesis.put(workers.stream, "second", 20);

            MigrationReport report = importing.build().run();

            assertThat(report.count(Action.WRITTEN)).as(report.toText()).isEqualTo(2);
            workers.start("ours", settings -> settings.initialPosition(InitialPosition.trimHorizon()));
            workers.awaitProcessed(second, LIMIT);
            assertThat(workers.names()).as("nothing Spring Cloud AWS had checkpointed is processed again")
                    .containsExactlyInAnyOrderElementsOf(second);
        }
    }

    /** The adapter as the binder sets it up: consumer group, checkpoint store, lock registry, from the trim horizon. */
    private static KinesisMessageDrivenChannelAdapter adapter(KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamoDb,
            String metadataTable, String lockTable, String stream, List<String> processed) {
        DynamoDbMetadataStore checkpoints = new DynamoDbMetadataStore(dynamoDb, metadataTable);
        checkpoints.setCreateTableDelay(100);
        checkpoints.afterPropertiesSet();
        DynamoDbLockRepository lockRepository = new DynamoDbLockRepository(dynamoDb, lockTable);
        lockRepository.afterPropertiesSet();
        DynamoDbLockRegistry locks = new DynamoDbLockRegistry(lockRepository);
        DirectChannel output = new DirectChannel();
        output.subscribe(message -> processed.add((String) message.getPayload()));
        KinesisMessageDrivenChannelAdapter adapter = new KinesisMessageDrivenChannelAdapter(kinesis, stream);
        adapter.setConsumerGroup("orders");
        adapter.setCheckpointStore(checkpoints);
        adapter.setLockRegistry(locks);
        adapter.setStreamInitialSequence(KinesisShardOffset.trimHorizon());
        adapter.setConverter(bytes -> new String(bytes, StandardCharsets.UTF_8));
        adapter.setOutputChannel(output);
        adapter.setConsumerBackoff(100);
        adapter.setBeanFactory(new DefaultListableBeanFactory());
        adapter.afterPropertiesSet();
        return adapter;
    }
}
