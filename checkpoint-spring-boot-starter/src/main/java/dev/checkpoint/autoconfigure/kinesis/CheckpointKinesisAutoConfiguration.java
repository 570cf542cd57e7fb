package dev.checkpoint.autoconfigure.kinesis;

import java.util.List;

import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.actuate.ShardProgress;
import dev.checkpoint.autoconfigure.CheckpointAutoConfiguration;
import dev.checkpoint.autoconfigure.CheckpointProperties;
import dev.checkpoint.autoconfigure.CheckpointVirtualThreads;
import dev.checkpoint.autoconfigure.AwsClients;
import dev.checkpoint.autoconfigure.MaxConnectionsHttpClientBuilder;
import dev.checkpoint.autoconfigure.InvalidCheckpointPropertyException;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.kinesis.CheckpointingRecordProcessor;
import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.RecordProcessor;
import dev.checkpoint.kinesis.ShardConsumerListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * A Kinesis consumer in one bean: with {@code checkpoint-kinesis} on the class path and a {@link RecordProcessor} (or
 * {@link CheckpointingRecordProcessor}) bean, the stream of {@code checkpoint.kinesis.stream-name} becomes the
 * coordinator's shard source and the consumer its listener, so that the application's instances share the shards.
 * Runs before {@link CheckpointAutoConfiguration}, whose coordinator needs the shard source.
 */
@AutoConfiguration(before = CheckpointAutoConfiguration.class)
@ConditionalOnClass({ KinesisConsumer.class, KinesisClient.class })
@Conditional(CheckpointKinesisAutoConfiguration.OnRecordProcessor.class)
@EnableConfigurationProperties(CheckpointKinesisProperties.class)
public final class CheckpointKinesisAutoConfiguration {

    static final AwsClients.Kind KINESIS = new AwsClients.Kind("KinesisClient", "checkpoint.kinesis",
            "configure the application's KinesisClient instead.",
            "Mark the one for the consumer's stream @Primary, or define a KinesisConsumer bean of your own.");
    static final AwsClients.Kind KINESIS_ASYNC = new AwsClients.Kind("KinesisAsyncClient", "checkpoint.kinesis",
            "configure the application's KinesisAsyncClient instead.",
            "Mark the one for the consumer's stream @Primary, or define a KinesisConsumer bean of your own.");

    /**
     * The application's {@link KinesisClient} bean when it has one; otherwise one of the consumer's own, from
     * {@code checkpoint.kinesis.*}, Spring Cloud AWS's region and credentials when present, and the
     * {@link CheckpointKinesisClientCustomizer}s: as for the checkpointer's DynamoDB client ({@link AwsClients}), with a
     * connection for every reader thread and two for the shard listing.
     */
    @Bean
    @ConditionalOnMissingBean
    CheckpointKinesisClient checkpointKinesisClient(CheckpointKinesisProperties properties,
            ObjectProvider<KinesisClient> applicationClients, ObjectProvider<AwsRegionProvider> regions,
            ObjectProvider<AwsCredentialsProvider> credentials, ObjectProvider<CheckpointKinesisClientCustomizer> customizers) {
        KinesisClient application = AwsClients.applicationClient(KINESIS, applicationClients, properties);
        if (application != null) {
            return CheckpointKinesisClient.application(application);
        }
        KinesisClientBuilder builder = KinesisClient.builder();
        MaxConnectionsHttpClientBuilder pool = MaxConnectionsHttpClientBuilder.of(properties.clientConnections());
        if (pool != null) {
            builder.httpClientBuilder(pool);
        }
        return CheckpointKinesisClient.own(AwsClients.build(KINESIS, builder, properties, regions,
                credentials, own -> customizers.orderedStream().forEach(customizer -> customizer.customize(own))));
    }

    /**
     * With {@code checkpoint.kinesis.retrieval=fan-out}: the application's {@link KinesisAsyncClient} bean when it has
     * one (the SDK speaks HTTP/2 to Kinesis by default); otherwise one of the consumer's own on HTTP/2, the protocol
     * chosen through ALPN, with room for a subscription per shard however many are held, from
     * {@code checkpoint.kinesis.*} (and {@code fan-out.endpoint}) as for the sync client, then the
     * {@link CheckpointKinesisAsyncClientCustomizer}s.
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(OnFanOutRetrieval.class)
    CheckpointKinesisAsyncClient checkpointKinesisAsyncClient(CheckpointKinesisProperties properties,
            ObjectProvider<KinesisAsyncClient> applicationClients, ObjectProvider<AwsRegionProvider> regions,
            ObjectProvider<AwsCredentialsProvider> credentials,
            ObjectProvider<CheckpointKinesisAsyncClientCustomizer> customizers) {
        KinesisAsyncClient application = AwsClients.applicationClient(KINESIS_ASYNC, applicationClients, properties);
        if (application != null) {
            return CheckpointKinesisAsyncClient.application(application);
        }
        KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder().httpClientBuilder(NettyNioAsyncHttpClient
                .builder().protocol(Protocol.HTTP2).protocolNegotiation(ProtocolNegotiation.ALPN)
                .maxConcurrency(Integer.MAX_VALUE));
        return CheckpointKinesisAsyncClient.own(AwsClients.build(KINESIS_ASYNC, builder, properties, regions,
                credentials, own -> {
                    if (properties.getFanOut().getEndpoint() != null) {
                        own.endpointOverride(properties.getFanOut().getEndpoint());
                    }
                    customizers.orderedStream().forEach(customizer -> customizer.customize(own));
                }));
    }

    @Bean
    @ConditionalOnMissingBean
    KinesisConsumer kinesisConsumer(CheckpointKinesisClient client, CheckpointKinesisProperties properties,
            ObjectProvider<CheckpointKinesisAsyncClient> asyncClient, ObjectProvider<CheckpointProperties> checkpoint,
            Environment environment, ObjectProvider<RecordProcessor> processors,
            ObjectProvider<CheckpointingRecordProcessor> checkpointingProcessors,
            ObjectProvider<ShardConsumerListener> listeners, ObjectProvider<CheckpointVirtualThreads> virtualThreads) {
        KinesisConsumer.Builder builder = KinesisConsumer.builder().kinesisClient(client.client())
                .settings(KinesisConsumerConfigurer.settings(properties, defaultConsumerName(checkpoint, environment)))
                .listener(ShardConsumerListener.composite(listeners.orderedStream().toList()))
                .readerThreads(properties.getReaderThreads());
        asyncClient.ifAvailable(async -> builder.kinesisAsyncClient(async.client()));
        virtualThreads.ifAvailable(virtual -> builder.threadFactory(virtual.named("checkpoint-kinesis-")));
        List<RecordProcessor> plain = processors.orderedStream().toList();
        List<CheckpointingRecordProcessor> checkpointing = checkpointingProcessors.orderedStream().toList();
        if (plain.size() + checkpointing.size() != 1) {
            throw new InvalidCheckpointPropertyException("RecordProcessor", (plain.size() + checkpointing.size()) + " beans",
                    "the Kinesis consumer needs exactly one RecordProcessor or CheckpointingRecordProcessor bean",
                    "Keep one processor bean; dispatch inside it if several kinds of records share the stream.");
        }
        if (plain.isEmpty()) {
            builder.checkpointingProcessor(checkpointing.get(0));
        }
        else {
            builder.processor(plain.get(0));
        }
        try {
            return builder.build();
        }
        catch (InvalidSettingException invalid) {
            if (invalid.getSetting().equals("readerThreads")) {
                throw InvalidCheckpointPropertyException.of(invalid, "checkpoint.kinesis.reader-threads",
                        setting -> "checkpoint.kinesis.reader-threads");
            }
            if (!invalid.getSetting().equals("processor")) {
                throw invalid;
            }
            throw new InvalidCheckpointPropertyException("checkpoint.kinesis.checkpoint-mode", properties.getCheckpointMode(),
                    "needs a CheckpointingRecordProcessor bean: with a RecordProcessor nothing would ever checkpoint",
                    "Make the processor bean a CheckpointingRecordProcessor and checkpoint through its checkpointer, "
                            + "or choose another checkpoint mode.");
        }
    }

    /** The consumer group, else the lease table's name (or the application's, which names the table by default). */
    private static @Nullable String defaultConsumerName(ObjectProvider<CheckpointProperties> checkpoint,
            Environment environment) {
        CheckpointProperties properties = checkpoint.getIfAvailable();
        if (properties != null && StringUtils.hasText(properties.getConsumerGroup())) {
            return properties.getConsumerGroup();
        }
        if (properties != null && StringUtils.hasText(properties.getTableName())) {
            return properties.getTableName();
        }
        return environment.getProperty("spring.application.name");
    }

    /** The stream's shards, for the coordinator. */
    @Bean
    @ConditionalOnMissingBean(ShardSource.class)
    ShardSource kinesisShardSource(KinesisConsumer consumer) {
        return consumer.shardSource();
    }

    /** Each shard's records, lag and last checkpoint, beside its lease at {@code /actuator/leases}. */
    @Bean
    @ConditionalOnMissingBean
    ShardProgress kinesisShardProgress(KinesisConsumer consumer) {
        return consumer::status;
    }

    /** A processor bean of either kind. */
    static final class OnRecordProcessor extends AnyNestedCondition {

        OnRecordProcessor() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(RecordProcessor.class)
        static final class Plain {
        }

        @ConditionalOnBean(CheckpointingRecordProcessor.class)
        static final class Checkpointing {
        }
    }
}
