package dev.checkpoint.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;

import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.kinesis.InitialPosition;
import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.KinesisConsumerSettings;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
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
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import dev.checkpoint.kinesis.Retrieval;
import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.LocalKinesisClients;
import software.amazon.kinesis.retrieval.RetrievalSpecificConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import java.util.function.Function;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.DdbTableConfig;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
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
import io.awspring.cloud.dynamodb.DynamoDbLockRegistry;
import io.awspring.cloud.dynamodb.DynamoDbLockRepository;
import io.awspring.cloud.dynamodb.DynamoDbMetadataStore;
import io.awspring.cloud.kinesis.integration.KinesisMessageDrivenChannelAdapter;
import io.awspring.cloud.kinesis.integration.KinesisShardOffset;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.integration.channel.DirectChannel;

/**
 * The consumers measured on one stream: ours ({@link KinesisConsumer} on a coordinator), the Java KCL 3.5.1's
 * {@link Scheduler}, and Spring Cloud AWS 4.0.0's Kinesis adapter (its binder's), each polling ({@link PollingConfig}) or with enhanced fan-out ({@link FanOutConfig}). Each reads from the trim horizon, with a lease
 * table of its own, and hands each record's data to the same sink; each checkpoints after every batch.
 */
final class StreamConsumers {

    private final URI kinesisEndpoint;
    private final LocalAwsServer kinesisServer;
    private final URI dynamoDbEndpoint;
    private final AwsCredentialsProvider credentials;

    /** @param kinesisServer a local kinesis-local: its HTTP port for polling, its HTTPS port (HTTP/2) for fan-out */
    StreamConsumers(LocalAwsServer kinesisServer, URI dynamoDbEndpoint, AwsCredentialsProvider credentials) {
        this.kinesisServer = kinesisServer;
        this.kinesisEndpoint = kinesisServer.endpoint();
        this.dynamoDbEndpoint = dynamoDbEndpoint;
        this.credentials = credentials;
    }

    /** A running consumer. */
    interface Running extends AutoCloseable {

        @Override
        void close();
    }

    Running ours(String stream, Duration idle, Consumer<SdkBytes> sink) {
        return ours(stream, idle, sink, Retrieval.POLLING);
    }

    /** Ours with enhanced fan-out, through a stream consumer it registers. */
    Running oursFanOut(String stream, Consumer<SdkBytes> sink) {
        return ours(stream, Duration.ofMillis(500), sink, Retrieval.FAN_OUT);
    }

    private Running ours(String stream, Duration idle, Consumer<SdkBytes> sink, Retrieval retrieval) {
        KinesisClient kinesis = KinesisClient.builder().endpointOverride(kinesisEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
        DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamoDbEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(dynamoDb)
                .tableName("ours-" + UUID.randomUUID().toString().substring(0, 8)).workerId("ours").build();
        checkpointer.init();
        KinesisAsyncClient subscriber = retrieval == Retrieval.FAN_OUT ? LocalKinesisClients.asyncClient(kinesisServer) : null;
        KinesisConsumer.Builder builder = KinesisConsumer.builder().kinesisClient(kinesis);
        if (subscriber != null) {
            builder.kinesisAsyncClient(subscriber);
        }
        KinesisConsumer consumer = builder
                .settings(KinesisConsumerSettings.builder().streamName(stream).initialPosition(InitialPosition.trimHorizon())
                        .idleInterval(idle).retrieval(retrieval).consumerName(retrieval == Retrieval.FAN_OUT ? "ours" : null)
                        .build())
                .processor(records -> records.forEach(record -> sink.accept(record.data())))
                .build();
        LeaseCoordinator coordinator = LeaseCoordinator.builder().checkpointer(checkpointer)
                .shardSource(consumer.shardSource()).listener(consumer).syncInterval(Duration.ofSeconds(1)).build();
        coordinator.start();
        return () -> {
            coordinator.stop(Duration.ofSeconds(5));
            consumer.close();
            kinesis.close();
            if (subscriber != null) {
                subscriber.close();
            }
            dynamoDb.close();
        };
    }

    /** @param idle the idle time between empty reads, or {@code null} for the KCL's default */
    Running kcl(String stream, @Nullable Duration idle, Consumer<SdkBytes> sink) {
        return kcl(stream, idle, sink, ShardEvents.NONE);
    }

    /** What a KCL consumer tells of its shards besides their records. */
    interface ShardEvents {

        ShardEvents NONE = new ShardEvents() {
        };

        /** A shard's processor was initialised: the worker holds the shard and reads it. */
        default void started() {
        }

        /** A shard's lease was lost. */
        default void lost() {
        }
    }

    /** The KCL polling, telling {@code events} of each shard started and each lease lost. */
    Running kcl(String stream, @Nullable Duration idle, Consumer<SdkBytes> sink, ShardEvents events) {
        KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(kinesisEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
        return kcl(stream, kinesis, sink, events, configs -> {
            PollingConfig polling = new PollingConfig(stream, kinesis);
            if (idle != null) {
                polling.idleTimeBetweenReadsInMillis(idle.toMillis());
            }
            return polling;
        });
    }

    /** The KCL with its default retrieval, enhanced fan-out, over HTTP/2 to kinesis-local's HTTPS port. */
    Running kclFanOut(String stream, Consumer<SdkBytes> sink) {
        KinesisAsyncClient kinesis = LocalKinesisClients.asyncClient(kinesisServer);
        return kcl(stream, kinesis, sink, ShardEvents.NONE, configs -> new FanOutConfig(kinesis).streamName(stream)
                .applicationName(configs.applicationName()));
    }

    private Running kcl(String stream, KinesisAsyncClient kinesis, Consumer<SdkBytes> sink, ShardEvents events,
            Function<ConfigsBuilder, RetrievalSpecificConfig> retrieval) {
        DynamoDbAsyncClient dynamoDb = DynamoDbAsyncClient.builder().endpointOverride(dynamoDbEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
        CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(URI.create("http://127.0.0.1:9"))
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        String application = "kcl-" + UUID.randomUUID().toString().substring(0, 8);
        createKclLeaseTable(application);
        ConfigsBuilder configs = new ConfigsBuilder(new SingleStreamTracker(stream,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                application, kinesis, dynamoDb, cloudWatch, "kcl", () -> new Processor(sink, events));
        // dynalite takes a new index only with provisioned throughput: the KCL's three tables are provisioned
        LeaseManagementConfig leases = configs.leaseManagementConfig().billingMode(BillingMode.PROVISIONED)
                .initialLeaseTableReadCapacity(1000).initialLeaseTableWriteCapacity(1000);
        provisioned(leases.workerUtilizationAwareAssignmentConfig().workerMetricsTableConfig());
        CoordinatorConfig coordinator = configs.coordinatorConfig();
        provisioned(coordinator.coordinatorStateTableConfig());
        Scheduler scheduler = new Scheduler(configs.checkpointConfig(), coordinator, leases, configs.lifecycleConfig(),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE), configs.processorConfig(),
                configs.retrievalConfig().retrievalSpecificConfig(retrieval.apply(configs)));
        Thread thread = new Thread(scheduler, "kcl-scheduler");
        thread.setDaemon(true);
        thread.start();
        return () -> {
            try {
                scheduler.startGracefulShutdown().get();
            }
            catch (Exception ignored) {
                scheduler.shutdown();
            }
            kinesis.close();
            dynamoDb.close();
            cloudWatch.close();
        };
    }

    /**
     * Spring Cloud AWS 4.0.0's Kinesis consumer as its binder runs it: {@code KinesisMessageDrivenChannelAdapter}
     * (polling, a checkpoint after each batch), its checkpoints in a {@code DynamoDbMetadataStore} and its shard locks
     * in a {@code DynamoDbLockRegistry}, tables of its own on the same dynalite.
     *
     * @param idle its idle time between polls, or {@code null} for its default (1 s)
     */
    Running springCloudAws(String stream, @Nullable Duration idle, Consumer<SdkBytes> sink) {
        KinesisAsyncClient kinesis = KinesisAsyncClient.builder().endpointOverride(kinesisEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
        DynamoDbAsyncClient dynamoDb = DynamoDbAsyncClient.builder().endpointOverride(dynamoDbEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        DynamoDbMetadataStore checkpoints = new DynamoDbMetadataStore(dynamoDb, "sca-metadata-" + suffix);
        checkpoints.setCreateTableDelay(100);
        checkpoints.afterPropertiesSet();
        DynamoDbLockRepository lockRepository = new DynamoDbLockRepository(dynamoDb, "sca-locks-" + suffix);
        lockRepository.afterPropertiesSet();
        DirectChannel output = new DirectChannel();
        output.subscribe(message -> sink.accept(SdkBytes.fromByteArray((byte[]) message.getPayload())));
        KinesisMessageDrivenChannelAdapter adapter = new KinesisMessageDrivenChannelAdapter(kinesis, stream);
        adapter.setConsumerGroup("sca-" + suffix);
        adapter.setCheckpointStore(checkpoints);
        adapter.setLockRegistry(new DynamoDbLockRegistry(lockRepository));
        adapter.setStreamInitialSequence(KinesisShardOffset.trimHorizon());
        adapter.setConverter(bytes -> bytes);
        adapter.setOutputChannel(output);
        if (idle != null) {
            adapter.setIdleBetweenPolls((int) idle.toMillis());
        }
        adapter.setBeanFactory(new DefaultListableBeanFactory());
        adapter.afterPropertiesSet();
        adapter.start();
        return () -> {
            adapter.stop();
            kinesis.close();
            dynamoDb.close();
        };
    }

    /**
     * The KCL's lease table, made here with its index: the KCL adds the index to a table it made with UpdateTable, which
     * dynalite does not carry out (it answers without the index's status).
     */
    private void createKclLeaseTable(String table) {
        try (DynamoDbClient dynamoDb = DynamoDbClient.builder().endpointOverride(dynamoDbEndpoint).region(Region.US_EAST_1)
                .credentialsProvider(credentials).build()) {
            ProvisionedThroughput throughput = ProvisionedThroughput.builder().readCapacityUnits(1000L)
                    .writeCapacityUnits(1000L).build();
            dynamoDb.createTable(create -> create.tableName(table)
                    .attributeDefinitions(attribute("leaseKey"), attribute("leaseOwner"))
                    .keySchema(KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.HASH).build())
                    .provisionedThroughput(throughput)
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("LeaseOwnerToLeaseKeyIndex")
                            .keySchema(KeySchemaElement.builder().attributeName("leaseOwner").keyType(KeyType.HASH).build(),
                                    KeySchemaElement.builder().attributeName("leaseKey").keyType(KeyType.RANGE).build())
                            .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                            .provisionedThroughput(throughput).build()));
        }
    }

    private static AttributeDefinition attribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static void provisioned(DdbTableConfig table) {
        table.billingMode(BillingMode.PROVISIONED).readCapacity(1000).writeCapacity(1000);
    }

    /** The KCL's record processor: the sink, then a checkpoint of the batch. */
    private static final class Processor implements ShardRecordProcessor {

        private final Consumer<SdkBytes> sink;
        private final ShardEvents events;

        Processor(Consumer<SdkBytes> sink, ShardEvents events) {
            this.sink = sink;
            this.events = events;
        }

        @Override
        public void initialize(InitializationInput input) {
            events.started();
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            input.records().forEach(record -> sink.accept(SdkBytes.fromByteBuffer(record.data())));
            try {
                if (!input.records().isEmpty()) {
                    input.checkpointer().checkpoint();
                }
            }
            catch (InvalidStateException | ShutdownException failure) {
                throw new IllegalStateException(failure);
            }
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
            events.lost();
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            try {
                input.checkpointer().checkpoint();
            }
            catch (InvalidStateException | ShutdownException failure) {
                throw new IllegalStateException(failure);
            }
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            try {
                input.checkpointer().checkpoint();
            }
            catch (InvalidStateException | ShutdownException failure) {
                throw new IllegalStateException(failure);
            }
        }
    }
}
