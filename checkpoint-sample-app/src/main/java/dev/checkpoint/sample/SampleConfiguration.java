package dev.checkpoint.sample;

import dev.checkpoint.kinesis.RecordProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * The Kinesis side of the sample: the client (the starter uses the application's), and the one processor bean that
 * makes this instance a consumer of {@code checkpoint.kinesis.stream-name}.
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

    /**
     * All a consumer writes: what to do with a shard's records. The starter shares the stream's shards among the
     * instances, reads each from its checkpoint, and checkpoints after each batch this returns from.
     */
    @Bean
    @ConditionalOnProperty(name = "sample.consumer-enabled", matchIfMissing = true)
    RecordProcessor countEvents(EventCounts counts, ProcessedLog processedLog) {
        return records -> {
            processedLog.append(records);
            records.forEach(record -> counts.record(record.partitionKey()));
        };
    }

    @Bean
    @ConditionalOnProperty(name = "sample.producer.enabled")
    Producer producer(KinesisClient kinesis, SampleProperties properties) {
        return new Producer(kinesis, properties);
    }
}
