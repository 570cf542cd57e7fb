package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.checkpoint.testsupport.TestDynamoDb;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.DdbTableConfig;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * A real Java KCL 3.5.1 application on the test's kinesis-local and dynalite: polling from the trim horizon, checkpointing
 * each batch as it is processed and again when it stops, with a short lease (2 s) so that a test watches it renew.
 * Its lease table is named after the application and made here with its owner index, which the KCL would add with an
 * UpdateTable that dynalite does not carry out.
 */
final class KclApplication implements AutoCloseable {

    /** Each record's data, as processed, in order. */
    final List<String> processed = new CopyOnWriteArrayList<>();
    private final Scheduler scheduler;
    private final KinesisAsyncClient kinesis;
    private final DynamoDbAsyncClient dynamoDb;
    private final CloudWatchAsyncClient cloudWatch;

    private KclApplication(String stream, String application) {
        TestDynamoDb dynamo = TestDynamoDb.shared();
        kinesis = KinesisAsyncClient.builder().endpointOverride(TestKinesis.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(dynamo.credentials())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
        dynamoDb = DynamoDbAsyncClient.builder().endpointOverride(dynamo.endpoint()).region(dynamo.region())
                .credentialsProvider(dynamo.credentials()).build();
        cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(java.net.URI.create("http://127.0.0.1:9"))
                .region(Region.US_EAST_1).credentialsProvider(dynamo.credentials()).build();
        createLeaseTable(application);
        ConfigsBuilder configs = new ConfigsBuilder(new SingleStreamTracker(stream,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                application, kinesis, dynamoDb, cloudWatch, "kcl-" + application, () -> new Processor(processed));
        LeaseManagementConfig leases = configs.leaseManagementConfig().billingMode(BillingMode.PROVISIONED)
                .initialLeaseTableReadCapacity(100).initialLeaseTableWriteCapacity(100).failoverTimeMillis(2000)
                .shardSyncIntervalMillis(1000);   // the KCL idles this long after its first shard sync (default 60 s)
        provisioned(leases.workerUtilizationAwareAssignmentConfig().workerMetricsTableConfig());
        provisioned(configs.coordinatorConfig().coordinatorStateTableConfig());
        PollingConfig polling = new PollingConfig(stream, kinesis).idleTimeBetweenReadsInMillis(200);
        scheduler = new Scheduler(configs.checkpointConfig(), configs.coordinatorConfig(), leases,
                configs.lifecycleConfig(), configs.metricsConfig().metricsLevel(MetricsLevel.NONE),
                configs.processorConfig(), configs.retrievalConfig().retrievalSpecificConfig(polling));
        Thread thread = new Thread(scheduler, "kcl-" + application);
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the application {@code application} (its lease table's name) on {@code stream}. */
    static KclApplication start(String stream, String application) {
        return new KclApplication(stream, application);
    }

    /** Stops it gracefully: each shard's processor checkpoints, and the leases are let go. */
    void stop() {
        try {
            scheduler.startGracefulShutdown().get();
        }
        catch (Exception notGraceful) {
            scheduler.shutdown();
        }
    }

    @Override
    public void close() {
        stop();
        kinesis.close();
        dynamoDb.close();
        cloudWatch.close();
    }

    /** The KCL's lease table, with its owner index, as the KCL makes it. */
    static void createLeaseTable(String table) {
        ProvisionedThroughput throughput = ProvisionedThroughput.builder().readCapacityUnits(100L).writeCapacityUnits(100L).build();
        try (DynamoDbClient client = TestDynamoDb.shared().newClient()) {
            client.createTable(create -> create.tableName(table)
                    .attributeDefinitions(attribute("leaseKey"), attribute("leaseOwner"))
                    .keySchema(KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.HASH).build())
                    .provisionedThroughput(throughput)
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("LeaseOwnerToLeaseKeyIndex")
                            .keySchema(KeySchemaElement.builder().attributeName("leaseOwner").keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.RANGE).build())
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                            .provisionedThroughput(throughput).build()));
            client.waiter().waitUntilTableExists(describe -> describe.tableName(table), wait -> wait
                    .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(100))));
        }
        catch (ResourceInUseException exists) {
            // made before
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static void provisioned(DdbTableConfig table) {
        table.billingMode(BillingMode.PROVISIONED).readCapacity(100).writeCapacity(100);
    }

    /** Records each record's data, and checkpoints the batch. */
    private static final class Processor implements ShardRecordProcessor {

        private final List<String> processed;

        Processor(List<String> processed) {
            this.processed = processed;
        }

        @Override
        public void initialize(InitializationInput input) {
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            input.records().forEach(record -> processed.add(java.nio.charset.StandardCharsets.UTF_8.decode(record.data()).toString()));
            if (!input.records().isEmpty()) {
                checkpoint(() -> input.checkpointer().checkpoint());
            }
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            checkpoint(() -> input.checkpointer().checkpoint());
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            checkpoint(() -> input.checkpointer().checkpoint());
        }

        private interface Checkpoint {
            void run() throws InvalidStateException, ShutdownException;
        }

        private static void checkpoint(Checkpoint checkpoint) {
            try {
                checkpoint.run();
            }
            catch (InvalidStateException | ShutdownException failure) {
                throw new IllegalStateException(failure);
            }
        }
    }
}
