package dev.checkpoint.sample;

import dev.checkpoint.kinesis.RecordProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import java.net.InetAddress;
import java.net.URI;

import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.ProtocolNegotiation;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.utils.AttributeMap;
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

    /**
     * For {@code checkpoint.kinesis.retrieval=fan-out} on this machine: the async client that subscribes to shards, over
     * HTTP/2 (chosen through ALPN) to kinesis-local's HTTPS port, whose self-signed certificate it trusts. Against AWS,
     * leave {@code sample.kinesis.fan-out-endpoint} unset: the starter builds its own client.
     */
    @Bean
    @ConditionalOnProperty(name = "sample.kinesis.fan-out-endpoint")
    KinesisAsyncClient kinesisAsyncClient(SampleProperties properties) {
        URI endpoint = properties.getKinesis().getFanOutEndpoint();
        if (!InetAddress.getLoopbackAddress().getHostAddress().equals(endpoint.getHost())
                && !"localhost".equals(endpoint.getHost())) {
            throw new IllegalArgumentException("sample.kinesis.fan-out-endpoint must be a loopback address, whose "
                    + "certificate the sample trusts without checking: " + endpoint);
        }
        KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder().endpointOverride(endpoint)
                .httpClient(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP2)
                        .protocolNegotiation(ProtocolNegotiation.ALPN).maxConcurrency(Integer.MAX_VALUE)
                        .buildWithDefaults(AttributeMap.builder()
                                .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build()));
        if (properties.getKinesis().getRegion() != null) {
            builder.region(Region.of(properties.getKinesis().getRegion()));
        }
        return builder.build();
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
