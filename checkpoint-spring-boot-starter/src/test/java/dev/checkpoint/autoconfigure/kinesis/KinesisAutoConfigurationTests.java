package dev.checkpoint.autoconfigure.kinesis;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import dev.checkpoint.kinesis.KinesisConsumerSettings;
import dev.checkpoint.kinesis.ReaderThreadsStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.actuate.KinesisConsumerHealthIndicator;
import dev.checkpoint.actuate.KinesisConsumerMetrics;
import dev.checkpoint.actuate.LeasesEndpoint;
import dev.checkpoint.autoconfigure.CheckpointAutoConfiguration;
import dev.checkpoint.autoconfigure.FailureAnalyses;
import dev.checkpoint.autoconfigure.InvalidCheckpointPropertyException;
import dev.checkpoint.autoconfigure.LocalDynamoDbProperties;
import dev.checkpoint.autoconfigure.actuate.KinesisHealthContributorAutoConfiguration;
import dev.checkpoint.autoconfigure.actuate.KinesisMetricsAutoConfiguration;
import dev.checkpoint.autoconfigure.actuate.LeasesEndpointAutoConfiguration;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.kinesis.CheckpointMode;
import dev.checkpoint.kinesis.CheckpointingRecordProcessor;
import dev.checkpoint.kinesis.FailurePolicy;
import dev.checkpoint.kinesis.InitialPosition;
import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.RecordProcessor;
import dev.checkpoint.kinesis.ShardConsumerStatus;
import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.LocalKinesisClients;
import dev.checkpoint.kinesis.Retrieval;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The Kinesis consumer in one bean: each condition, each property check, and a context that really consumes. */
class KinesisAutoConfigurationTests {

    private static LocalAwsServer kinesisLocal;
    private static KinesisClient kinesis;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CheckpointKinesisAutoConfiguration.class,
                    CheckpointAutoConfiguration.class, LeasesEndpointAutoConfiguration.class,
                    KinesisHealthContributorAutoConfiguration.class, KinesisMetricsAutoConfiguration.class))
            .withUserConfiguration(LocalDynamoDbProperties.Credentials.class)
            .withPropertyValues(LocalDynamoDbProperties.forFreshTable())
            .withPropertyValues("checkpoint.lease-duration=2s", "checkpoint.coordinator.sync-interval=500ms",
                    "checkpoint.kinesis.idle-interval=100ms", "management.endpoints.web.exposure.include=leases");

    @BeforeAll
    static void startKinesalite() {
        kinesisLocal = LocalAwsServer.start(LocalAwsServer.Kind.KINESIS_LOCAL);
        kinesis = newClient();
    }

    /** A client of the test's kinesisLocal: a context closes the one it is given. */
    private static KinesisClient newClient() {
        return newClient(kinesisLocal);
    }

    private static KinesisClient newClient(LocalAwsServer server) {
        return KinesisClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    static void stopKinesalite() {
        kinesis.close();
        kinesisLocal.stop();
    }

    @Test
    void withoutAProcessorThereIsNoConsumer() {
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withPropertyValues("checkpoint.kinesis.stream-name=s")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(KinesisConsumer.class)
                        .doesNotHaveBean(ShardSource.class).doesNotHaveBean(LeaseCoordinator.class));
    }

    @Test
    void withoutCheckpointKinesisOnTheClassPathThereIsNoConsumer() {
        contextRunner.withClassLoader(new FilteredClassLoader(KinesisConsumer.class))
                .withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withPropertyValues("checkpoint.kinesis.stream-name=s")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CheckpointKinesisClient.class));
    }

    @Test
    void aProcessorBeanAndAStreamNameConsumeTheStreamAndShowProgressBesideEachLease() {
        String stream = createStream(2);
        Set<String> processed = ConcurrentHashMap.newKeySet();
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient)
                .withBean(RecordProcessor.class, () -> records -> records.forEach(record -> processed.add(record.data().asUtf8String())))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withPropertyValues("checkpoint.kinesis.stream-name=" + stream)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(KinesisConsumer.class).hasSingleBean(LeaseCoordinator.class);
                    KinesisConsumer consumer = context.getBean(KinesisConsumer.class);
                    assertThat(context.getBean(ShardSource.class)).isSameAs(consumer.shardSource());
                    assertThat(context.getBean(CheckpointKinesisClient.class).isOwn()).isFalse();
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    context.getBean(KinesisConsumerMetrics.class).bindTo(meters); // what Boot's metrics do with a MeterBinder
                    List<String> names = put(stream, 40);

                    await().atMost(Duration.ofSeconds(20)).until(() -> processed.containsAll(names));

                    LeasesEndpoint.LeasesDescriptor leases = context.getBean(LeasesEndpoint.class).leases(null, null);
                    assertThat(leases.leases()).hasSize(2).allSatisfy(lease -> assertThat(lease.progress())
                            .isInstanceOfSatisfying(ShardConsumerStatus.class, status -> assertThat(status.state()).isEqualTo("reading")));
                    long recordsCounted = leases.leases().stream()
                            .mapToLong(lease -> ((ShardConsumerStatus) lease.progress()).recordsProcessed()).sum();
                    assertThat(recordsCounted).isEqualTo(40);
                    assertThat(meters.find("checkpoint.kinesis.records").counters()).hasSize(2)
                            .allSatisfy(counter -> assertThat(counter.getId().getTag("shard")).startsWith("shardId-"));
                    assertThat(meters.find("checkpoint.kinesis.records").counters().stream()
                            .mapToDouble(counter -> counter.count()).sum()).isEqualTo(40);
                    assertThat(meters.find("checkpoint.kinesis.millis.behind.latest").gauges()).hasSize(2);
                    assertThat(context.getBean("kinesisHealthIndicator", KinesisConsumerHealthIndicator.class).health(true)
                            .getDetails()).containsKey("millisBehindLatest");
                });
    }

    @Test
    void theKinesisHealthComponentIsThereUnlessSwitchedOffAndTakesTheMaximumLag() {
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient)
                .withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.max-lag=30s")
                .run(context -> assertThat(context.getBean("kinesisHealthIndicator", KinesisConsumerHealthIndicator.class)
                        .health(true).getDetails()).containsEntry("maxLagMillis", 30_000L));
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient)
                .withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "management.health.kinesis.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("kinesisHealthIndicator"));
    }

    @Test
    void theConsumersSettingsComeFromItsProperties() {
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-arn=arn:aws:kinesis:us-east-1:123456789012:stream/orders",
                        "checkpoint.kinesis.initial-position=at-timestamp",
                        "checkpoint.kinesis.initial-timestamp=2026-11-29T08:00:00Z",
                        "checkpoint.kinesis.checkpoint-mode=periodic", "checkpoint.kinesis.checkpoint-every-records=50",
                        "checkpoint.kinesis.checkpoint-every-interval=3s", "checkpoint.kinesis.max-records-per-fetch=500",
                        "checkpoint.kinesis.max-attempts=5", "checkpoint.kinesis.retry-backoff=2s",
                        "checkpoint.kinesis.failure-policy=skip", "checkpoint.kinesis.reader-threads=12")
                .run(context -> {
                    assertThat(context.getBean(KinesisConsumer.class).readerThreads())
                            .isEqualTo(new ReaderThreadsStatus("platform", 12, 0, 0));
                    var settings = context.getBean(KinesisConsumer.class).settings();
                    assertThat(settings.streamArn()).endsWith("stream/orders");
                    assertThat(settings.initialPosition())
                            .isEqualTo(InitialPosition.atTimestamp(java.time.Instant.parse("2026-11-29T08:00:00Z")));
                    assertThat(settings.checkpointMode()).isEqualTo(CheckpointMode.PERIODIC);
                    assertThat(settings.checkpointEveryRecords()).isEqualTo(50);
                    assertThat(settings.checkpointEveryInterval()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(settings.maxRecordsPerFetch()).isEqualTo(500);
                    assertThat(settings.maxAttempts()).isEqualTo(5);
                    assertThat(settings.retryBackoff()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(settings.failurePolicy()).isEqualTo(FailurePolicy.SKIP);
                });
    }

    @Test
    void aMissingStreamStopsStartUpNamingTheProperty() {
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withBean(RecordProcessor.class, () -> records -> { })
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidCheckpointPropertyException.class)
                        .hasMessageContaining("'checkpoint.kinesis.stream-name'")
                        .hasMessageContaining("checkpoint.kinesis.stream-arn").hasMessageNotContaining("streamArn"));
    }

    /** Choices are listed as the README and the IDE write them, not as Java constants (TRIM_HORIZON). */
    @Test
    void anUnknownInitialPositionStopsStartUpListingTheChoicesAsWritten() {
        FailureAnalysis analysis = FailureAnalyses.of(contextRunner.withBean(KinesisClient.class,
                KinesisAutoConfigurationTests::newClient).withBean(RecordProcessor.class, () -> records -> { }),
                "checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.initial-position=oldest");

        assertThat(analysis.getDescription()).isEqualTo("Invalid value 'oldest' for property "
                + "'checkpoint.kinesis.initial-position': it is none of trim-horizon, latest, at-timestamp");
        assertThat(analysis.getAction())
                .isEqualTo("Set checkpoint.kinesis.initial-position to one of: trim-horizon, latest, at-timestamp.");
    }

    @Test
    void outOfRangeValuesStopStartUpNamingTheProperty() {
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.max-records-per-fetch=20000")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessage("Invalid value '20000' for property 'checkpoint.kinesis.max-records-per-fetch': "
                                + "must be 1 to 10,000"));
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.initial-position=at-timestamp")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("'checkpoint.kinesis.initial-timestamp'"));
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.reader-threads=0")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessage("Invalid value '0' for property 'checkpoint.kinesis.reader-threads': must be 1 or more"));
    }

    @Test
    void manualCheckpointsNeedACheckpointingProcessorAndTwoProcessorsAreRefused() {
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.checkpoint-mode=manual")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("'checkpoint.kinesis.checkpoint-mode'").hasMessageContaining("CheckpointingRecordProcessor"));
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient)
                .withBean(CheckpointingRecordProcessor.class, () -> (records, checkpointer) -> checkpointer.checkpoint())
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.checkpoint-mode=manual")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(KinesisConsumer.class));
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withBean("one", RecordProcessor.class, () -> records -> { })
                .withBean("two", RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("exactly one"));
    }

    @Test
    void withoutAnApplicationClientTheConsumerBuildsItsOwnAndRefusesSettingsForOneItWouldIgnore() {
        contextRunner.withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.region=eu-west-1",
                        "checkpoint.kinesis.endpoint=" + kinesisLocal.endpoint())
                .run(context -> assertThat(context.getBean(CheckpointKinesisClient.class).isOwn()).isTrue());
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient).withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.region=eu-west-1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("'checkpoint.kinesis.region'").hasMessageContaining("would be ignored"));
    }

    /**
     * checkpoint.kinesis.retrieval=fan-out with only properties: the consumer reads through a stream consumer it
     * registers under the consumer group's name, on the application's async client (here one that trusts the local
     * server's certificate); health shows the retrieval and the consumer's ARN.
     */
    @Test
    void fanOutReadsThroughAStreamConsumerNamedAfterTheConsumerGroupAndShowsIt() {
        // A kinesis-local of its own: the shared one's plain port stopped answering after this class's other tests in
        // 3 of 6 runs (the process still up, nothing in its output); the cause is not found.
        try (LocalAwsServer server = LocalAwsServer.start(LocalAwsServer.Kind.KINESIS_LOCAL);
                KinesisClient client = newClient(server)) {
            String stream = createStream(client, 1);
            Set<String> processed = ConcurrentHashMap.newKeySet();
            contextRunner.withBean(KinesisClient.class, () -> newClient(server))
                    .withBean(KinesisAsyncClient.class, () -> LocalKinesisClients.asyncClient(server))
                    .withBean(RecordProcessor.class, () -> records -> records.forEach(record -> processed.add(record.data().asUtf8String())))
                    .withPropertyValues("checkpoint.kinesis.stream-name=" + stream, "checkpoint.kinesis.retrieval=fan-out",
                            "checkpoint.consumer-group=orders")
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        assertThat(context.getBean(CheckpointKinesisAsyncClient.class).isOwn()).isFalse();
                        KinesisConsumer consumer = context.getBean(KinesisConsumer.class);
                        assertThat(consumer.retrieval()).isEqualTo(Retrieval.FAN_OUT);
                        assertThat(consumer.settings().consumerName()).isEqualTo("orders");
                        List<String> names = put(client, stream, 20);

                        await().atMost(Duration.ofSeconds(30)).until(() -> processed.containsAll(names));

                        assertThat(consumer.consumerArn()).contains(":stream/" + stream + "/consumer/orders:");
                        assertThat(context.getBean("kinesisHealthIndicator", KinesisConsumerHealthIndicator.class)
                                .health(true).getDetails()).containsEntry("retrieval", "fan-out")
                                .containsEntry("consumerArn", consumer.consumerArn());
                    });
        }
    }

    /** Polling builds no async client; fan-out without one of the application's builds its own, on HTTP/2. */
    @Test
    void anAsyncClientIsBuiltOnlyForFanOut() {
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient)
                .withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(CheckpointKinesisAsyncClient.class));
        List<String> customized = new java.util.ArrayList<>();
        contextRunner.withBean(RecordProcessor.class, () -> records -> { })
                .withBean(CheckpointKinesisAsyncClientCustomizer.class, () -> builder -> customized.add("called"))
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.retrieval=FAN_OUT",
                        "checkpoint.kinesis.region=eu-west-1", "checkpoint.kinesis.fan-out.endpoint=https://127.0.0.1:1",
                        "checkpoint.kinesis.fan-out.consumer-name=billing")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CheckpointKinesisAsyncClient async = context.getBean(CheckpointKinesisAsyncClient.class);
                    assertThat(async.isOwn()).isTrue();
                    assertThat(async.client().serviceClientConfiguration().endpointOverride()).hasValue(java.net.URI.create("https://127.0.0.1:1"));
                    assertThat(customized).containsExactly("called");
                    assertThat(context.getBean(KinesisConsumer.class).settings().consumerName()).isEqualTo("billing");
                });
    }

    @Test
    void aConsumerArnThatIsNoneOrBesidePollingStopsStartUpNamingTheProperty() {
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient)
                .withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.fan-out.consumer-arn=orders")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("checkpoint.kinesis.fan-out.consumer-arn").hasMessageContaining("checkpoint.kinesis.retrieval is fan-out"));
        contextRunner.withBean(KinesisClient.class, KinesisAutoConfigurationTests::newClient)
                .withBean(KinesisAsyncClient.class, () -> LocalKinesisClients.asyncClient(kinesisLocal))
                .withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.retrieval=fan-out",
                        "checkpoint.kinesis.fan-out.consumer-arn=orders")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("checkpoint.kinesis.fan-out.consumer-arn").hasMessageContaining("orders"));
    }

    /**
     * The consumer's own client takes Spring Cloud AWS's region and credentials beans when present (types of the AWS
     * SDK, which Spring Cloud AWS registers), its customizers last; static credentials come in pairs.
     */
    @Test
    void theConsumersOwnClientTakesSpringCloudAwsRegionAndCredentialsAndItsCustomizers() {
        List<String> customized = new java.util.ArrayList<>();
        AwsCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("sca", "sca"));
        contextRunner.withBean(RecordProcessor.class, () -> records -> { })
                .withBean(AwsRegionProvider.class, () -> () -> Region.AP_SOUTHEAST_2)
                .withBean(AwsCredentialsProvider.class, () -> credentials)
                .withBean(CheckpointKinesisClientCustomizer.class, () -> builder -> customized.add("called"))
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.endpoint=" + kinesisLocal.endpoint())
                .run(context -> {
                    KinesisClient own = context.getBean(CheckpointKinesisClient.class).client();
                    assertThat(own.serviceClientConfiguration().region()).isEqualTo(Region.AP_SOUTHEAST_2);
                    assertThat(own.serviceClientConfiguration().credentialsProvider()).isSameAs(credentials);
                    assertThat(customized).containsExactly("called");
                });
        contextRunner.withBean(RecordProcessor.class, () -> records -> { })
                .withPropertyValues("checkpoint.kinesis.stream-name=s", "checkpoint.kinesis.region=eu-west-1",
                        "checkpoint.kinesis.access-key-id=AKIDEXAMPLE")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("'checkpoint.kinesis.secret-access-key'").hasMessageNotContaining("AKIDEXAMPLE"));
    }

    /** Unset properties are the consumer's own defaults, which the IDE metadata shows. */
    @Test
    void thePropertiesDefaultsAreTheConsumersDefaults() {
        CheckpointKinesisProperties properties = new CheckpointKinesisProperties();
        properties.setStreamName("s");
        KinesisConsumerSettings mapped = KinesisConsumerConfigurer.settings(properties, "app");
        KinesisConsumerSettings defaults = KinesisConsumerSettings.builder().streamName("s").build();
        assertThat(mapped).isEqualTo(defaults);
        assertThat(properties.getReaderThreads()).isEqualTo(KinesisConsumer.DEFAULT_READER_THREADS);
    }

    private static String createStream(int shards) {
        return createStream(kinesis, shards);
    }

    private static String createStream(KinesisClient kinesis, int shards) {
        String stream = "auto-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(create -> create.streamName(stream).shardCount(shards));
        await().atMost(Duration.ofSeconds(20)).until(() -> kinesis.describeStreamSummary(d -> d.streamName(stream))
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        return stream;
    }

    private static List<String> put(String stream, int count) {
        return put(kinesis, stream, count);
    }

    private static List<String> put(KinesisClient kinesis, String stream, int count) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "record-" + i;
            names.add(name);
            kinesis.putRecord(put -> put.streamName(stream).partitionKey(name).data(SdkBytes.fromString(name, StandardCharsets.UTF_8)));
        }
        return names;
    }
}
