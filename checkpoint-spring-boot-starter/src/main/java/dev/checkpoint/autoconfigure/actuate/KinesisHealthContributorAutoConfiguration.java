package dev.checkpoint.autoconfigure.actuate;

import dev.checkpoint.actuate.KinesisConsumerHealthIndicator;
import dev.checkpoint.autoconfigure.kinesis.CheckpointKinesisAutoConfiguration;
import dev.checkpoint.autoconfigure.kinesis.CheckpointKinesisProperties;
import dev.checkpoint.kinesis.KinesisConsumer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code kinesis} health component, when Spring Boot's health support is present and the consumer runs. */
@AutoConfiguration(after = CheckpointKinesisAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, KinesisConsumer.class })
@ConditionalOnBean(KinesisConsumer.class)
@ConditionalOnEnabledHealthIndicator("kinesis")
public final class KinesisHealthContributorAutoConfiguration {

    @Bean(name = "kinesisHealthIndicator")
    @ConditionalOnMissingBean(name = "kinesisHealthIndicator")
    KinesisConsumerHealthIndicator kinesisHealthIndicator(KinesisConsumer consumer, CheckpointKinesisProperties properties) {
        return new KinesisConsumerHealthIndicator(consumer, properties.getMaxLag(), properties.getMaxReadFailure());
    }
}
