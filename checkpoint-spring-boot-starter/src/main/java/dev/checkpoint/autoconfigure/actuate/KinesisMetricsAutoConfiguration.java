package dev.checkpoint.autoconfigure.actuate;

import dev.checkpoint.MonotonicClock;
import dev.checkpoint.actuate.KinesisConsumerMetrics;
import dev.checkpoint.autoconfigure.kinesis.CheckpointKinesisAutoConfiguration;
import dev.checkpoint.kinesis.KinesisConsumer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Kinesis consumer's meters, when Micrometer is present and the consumer runs. The meters are a listener of the
 * consumer, which takes every {@code ShardConsumerListener} bean when it is built.
 */
@AutoConfiguration(after = CheckpointKinesisAutoConfiguration.class)
@ConditionalOnClass({ MeterBinder.class, KinesisConsumer.class })
@ConditionalOnBean(KinesisConsumer.class)
public final class KinesisMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    KinesisConsumerMetrics kinesisConsumerMetrics() {
        return new KinesisConsumerMetrics(MonotonicClock.SYSTEM);
    }
}
