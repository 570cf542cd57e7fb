package dev.checkpoint.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.checkpoint.testsupport.SlowHttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The starter's own DynamoDB clients: one for checkpoints and the rest with the SDK's 50 connections, or as many as
 * {@code checkpoint.dynamodb.max-connections} says, and one for renewals alone with a connection for every renewal
 * thread: measured as the requests a slow server sees at once.
 */
class DynamoDbClientPoolTests {

    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    @Test
    void byDefaultTheSdksFifty() {
        CheckpointProperties.Dynamodb properties = new CheckpointProperties.Dynamodb();
        assertThat(properties.maxConnections()).isEqualTo(50);
        properties.setMaxConnections(7);
        assertThat(properties.maxConnections()).isEqualTo(7);
    }

    @Test
    void thePoolBoundsTheRequestsInFlight() throws Exception {
        try (SlowHttpServer server = new SlowHttpServer(Duration.ofMillis(300))) {
            assertThat(mostAtOnce(server, 2, 6, CheckpointDynamoDbClient::client)).as("max-connections=2").isEqualTo(2);
            assertThat(mostAtOnce(server, null, 6, CheckpointDynamoDbClient::client)).as("the default, 50").isEqualTo(6);
        }
    }

    @Test
    void renewalsHaveAClientOfTheirOwnWithAConnectionForEveryRenewalThread() throws Exception {
        try (SlowHttpServer server = new SlowHttpServer(Duration.ofMillis(300))) {
            assertThat(mostAtOnce(server, 2, 6, CheckpointDynamoDbClient::renewalClient)).as("3 renewal threads")
                    .isEqualTo(3);
        }
    }

    @Test
    void withTheApplicationsClientRenewalsShareIt() {
        DynamoDbClient application = DynamoDbClient.builder().region(Region.US_EAST_1).credentialsProvider(credentials())
                .build();
        beans.registerSingleton("application", application);

        CheckpointDynamoDbClient chosen = CheckpointDynamoDbClientFactory.choose(new CheckpointProperties.Dynamodb(), 3,
                beans.getBeanProvider(DynamoDbClient.class), beans.getBeanProvider(AwsRegionProvider.class),
                beans.getBeanProvider(AwsCredentialsProvider.class), Stream.empty());

        assertThat(chosen.client()).isSameAs(application);
        assertThat(chosen.renewalClient()).isNull();
        assertThat(chosen.isOwn()).isFalse();
    }

    @Test
    void noConnectionIsRefusedNamingTheProperty() {
        CheckpointProperties.Dynamodb properties = new CheckpointProperties.Dynamodb();
        properties.setMaxConnections(0);

        assertThatThrownBy(properties::maxConnections).isInstanceOf(InvalidCheckpointPropertyException.class)
                .hasMessageContaining("checkpoint.dynamodb.max-connections");
    }

    @Test
    void besideTheApplicationsClientItIsRefusedAsItWouldBeIgnored() {
        beans.registerSingleton("application", DynamoDbClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(credentials()).build());
        CheckpointProperties.Dynamodb properties = new CheckpointProperties.Dynamodb();
        properties.setMaxConnections(20);

        assertThatThrownBy(() -> CheckpointDynamoDbClientFactory.choose(properties, 3,
                beans.getBeanProvider(DynamoDbClient.class), beans.getBeanProvider(AwsRegionProvider.class),
                beans.getBeanProvider(AwsCredentialsProvider.class), Stream.empty()))
                .isInstanceOf(InvalidCheckpointPropertyException.class)
                .hasMessageContaining("checkpoint.dynamodb.max-connections").hasMessageContaining("ignored");
    }

    /**
     * Sends {@code requests} at once through one of the starter's own clients (3 renewal threads), and says how many the
     * server had at once.
     */
    private int mostAtOnce(SlowHttpServer server, Integer maxConnections, int requests,
            Function<CheckpointDynamoDbClient, DynamoDbClient> which) throws Exception {
        CheckpointProperties.Dynamodb properties = new CheckpointProperties.Dynamodb();
        properties.setEndpoint(server.endpoint());
        properties.setRegion("us-east-1");
        properties.setAccessKeyId("local");
        properties.setSecretAccessKey("local");
        properties.setMaxConnections(maxConnections);
        try (CheckpointDynamoDbClient client = CheckpointDynamoDbClientFactory.choose(properties, 3,
                beans.getBeanProvider(DynamoDbClient.class), beans.getBeanProvider(AwsRegionProvider.class),
                beans.getBeanProvider(AwsCredentialsProvider.class), Stream.empty())) {
            server.mostAtOnceAndReset();
            SlowHttpServer.atOnce(requests, () -> which.apply(client).listTables());
        }
        return server.mostAtOnceAndReset();
    }

    private static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
}
