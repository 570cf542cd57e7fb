package dev.checkpoint.autoconfigure.kinesis;

import java.util.List;

import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.actuate.KinesisConsumerHealthIndicator;
import dev.checkpoint.actuate.KinesisConsumerMetrics;
import dev.checkpoint.actuate.ShardProgress;
import dev.checkpoint.autoconfigure.CheckpointAutoConfiguration;
import dev.checkpoint.autoconfigure.InvalidCheckpointPropertyException;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.kinesis.CheckpointingRecordProcessor;
import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.RecordProcessor;
import dev.checkpoint.kinesis.ShardConsumerListener;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.Region;
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

    @Bean
    @ConditionalOnMissingBean
    CheckpointKinesisClient checkpointKinesisClient(CheckpointKinesisProperties properties,
            ObjectProvider<KinesisClient> applicationClients) {
        KinesisClient application = applicationClients.getIfUnique();
        if (application != null) {
            if (properties.getEndpoint() != null || properties.getRegion() != null) {
                String property = properties.getEndpoint() != null ? "checkpoint.kinesis.endpoint" : "checkpoint.kinesis.region";
                throw new InvalidCheckpointPropertyException(property, properties.getEndpoint() != null
                        ? properties.getEndpoint() : properties.getRegion(),
                        "it would be ignored: the application has a KinesisClient bean, and the consumer uses it",
                        "Remove " + property + ", and configure the application's KinesisClient instead.");
            }
            return new CheckpointKinesisClient(application, false);
        }
        KinesisClientBuilder builder = KinesisClient.builder();
        if (properties.getEndpoint() != null) {
            builder.endpointOverride(properties.getEndpoint());
        }
        if (properties.getRegion() != null) {
            builder.region(Region.of(properties.getRegion()));
        }
        return new CheckpointKinesisClient(builder.build(), true);
    }

    @Bean
    @ConditionalOnMissingBean
    KinesisConsumer kinesisConsumer(CheckpointKinesisClient client, CheckpointKinesisProperties properties,
            ObjectProvider<RecordProcessor> processors, ObjectProvider<CheckpointingRecordProcessor> checkpointingProcessors,
            ObjectProvider<ShardConsumerListener> listeners) {
        KinesisConsumer.Builder builder = KinesisConsumer.builder().kinesisClient(client.client())
                .settings(KinesisConsumerConfigurer.settings(properties))
                .listener(ShardConsumerListener.composite(listeners.orderedStream().toList()));
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
            throw new InvalidCheckpointPropertyException("checkpoint.kinesis.checkpoint-mode", properties.getCheckpointMode(),
                    "needs a CheckpointingRecordProcessor bean: with a RecordProcessor nothing would ever checkpoint",
                    "Make the processor bean a CheckpointingRecordProcessor and checkpoint through its checkpointer, "
                            + "or choose another checkpoint mode.");
        }
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

    /** The consumer's meters, when Micrometer is present: a listener of the consumer, so built before it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        KinesisConsumerMetrics kinesisConsumerMetrics() {
            return new KinesisConsumerMetrics(MonotonicClock.SYSTEM);
        }
    }

    /** The {@code kinesis} health component, when Spring Boot's health support is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("kinesis")
    static class HealthComponent {

        @Bean(name = "kinesisHealthIndicator")
        @ConditionalOnMissingBean(name = "kinesisHealthIndicator")
        KinesisConsumerHealthIndicator kinesisHealthIndicator(KinesisConsumer consumer, CheckpointKinesisProperties properties) {
            return new KinesisConsumerHealthIndicator(consumer, properties.getMaxLag(), properties.getMaxReadFailure());
        }
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
