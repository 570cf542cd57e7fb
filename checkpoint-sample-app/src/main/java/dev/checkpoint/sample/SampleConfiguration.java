package dev.checkpoint.sample;

import java.time.Duration;

import dev.checkpoint.autoconfigure.CheckpointProperties;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.ShardSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * The Kinesis side of the sample. A {@link ShardSource} and a {@link LeaseListener} are all the starter needs to
 * run a lease coordinator for this instance.
 */
@Configuration(proxyBeanMethods = false)
class SampleConfiguration {

    @Bean
    KinesisClient kinesisClient(SampleProperties properties) {
        KinesisClientBuilder builder = KinesisClient.builder();
        if (properties.getKinesis().getEndpoint() != null) {
            builder.endpointOverride(properties.getKinesis().getEndpoint());
        }
        if (properties.getKinesis().getRegion() != null) {
            builder.region(Region.of(properties.getKinesis().getRegion()));
        }
        KinesisClient kinesis = builder.build();
        StreamSetup.ensureActive(kinesis, properties.getStreamName(), properties.getShardCount());
        return kinesis;
    }

    @Bean
    EventCounts eventCounts() {
        return new EventCounts();
    }

    @Bean
    ProcessedLog processedLog(SampleProperties properties) {
        return new ProcessedLog(properties.getProcessedLog());
    }

    @Bean
    @ConditionalOnProperty(name = "sample.consumer-enabled", matchIfMissing = true)
    ShardSource kinesisShardSource(KinesisClient kinesis, SampleProperties properties) {
        return new KinesisShardSource(kinesis, properties.getStreamName());
    }

    @Bean
    @ConditionalOnProperty(name = "sample.consumer-enabled", matchIfMissing = true)
    LeaseListener shardReaders(KinesisClient kinesis, SampleProperties properties, EventCounts counts,
            ProcessedLog processedLog, CheckpointProperties checkpoint) {
        // A reader gets most of the grace period to finish its batch; the rest is for its checkpoint.
        Duration stopWait = checkpoint.getCoordinator().getShutdownGrace().multipliedBy(3).dividedBy(4);
        return new ShardReaders(kinesis, properties, counts, processedLog, stopWait);
    }

    @Bean
    @ConditionalOnProperty(name = "sample.producer.enabled")
    Producer producer(KinesisClient kinesis, SampleProperties properties) {
        return new Producer(kinesis, properties);
    }
}
