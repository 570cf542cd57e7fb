package dev.checkpoint.autoconfigure.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.checkpoint.testsupport.SlowHttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The starter's own Kinesis client has a connection for every reader thread and two for the shard listing, so that a
 * reader never waits for a connection behind the others: measured as the requests a slow server sees at once.
 */
class KinesisClientPoolTests {

    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    @Test
    void aConnectionForEveryReaderThreadAndTwoForTheListing() throws Exception {
        CheckpointKinesisProperties properties = new CheckpointKinesisProperties();
        properties.setReaderThreads(3);
        assertThat(properties.clientConnections()).isEqualTo(5);
        try (SlowHttpServer server = new SlowHttpServer(Duration.ofMillis(300))) {
            properties.setEndpoint(server.endpoint());
            properties.setRegion("us-east-1");
            properties.setAccessKeyId("local");
            properties.setSecretAccessKey("local");
            try (CheckpointKinesisClient client = new CheckpointKinesisAutoConfiguration().checkpointKinesisClient(properties,
                    beans.getBeanProvider(KinesisClient.class), beans.getBeanProvider(AwsRegionProvider.class),
                    beans.getBeanProvider(AwsCredentialsProvider.class),
                    beans.getBeanProvider(CheckpointKinesisClientCustomizer.class))) {
                server.mostAtOnceAndReset();
                SlowHttpServer.atOnce(8, () -> client.client().listStreams());
            }
            assertThat(server.mostAtOnceAndReset()).as("requests at once, 3 reader threads").isEqualTo(5);
        }
    }
}
