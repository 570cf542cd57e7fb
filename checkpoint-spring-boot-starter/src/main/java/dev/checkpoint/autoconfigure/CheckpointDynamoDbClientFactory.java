package dev.checkpoint.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import org.springframework.beans.factory.ObjectProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Chooses the checkpointer's DynamoDB client, by {@link AwsClients}' rules: the application's {@link DynamoDbClient}
 * bean, or two of the checkpointer's own from {@code checkpoint.dynamodb.*}, without retries of the SDK's (the
 * checkpointer's, {@code checkpoint.retries}, are the only ones), and the {@link CheckpointDynamoDbClientCustomizer}s:
 * one for renewals and heartbeats alone, with a connection for every renewal thread, and one for the rest, with
 * {@code checkpoint.dynamodb.max-connections}.
 */
final class CheckpointDynamoDbClientFactory {

    static final AwsClients.Kind DYNAMODB = new AwsClients.Kind("DynamoDbClient", "checkpoint.dynamodb",
            "configure the application's client instead: with Spring Cloud AWS, spring.cloud.aws.dynamodb.endpoint, "
                    + "spring.cloud.aws.region.static and spring.cloud.aws.credentials.*.",
            "Mark the one for the lease table @Primary, or define a DynamoDbCheckpointer bean of your own.");

    private CheckpointDynamoDbClientFactory() {
    }

    static CheckpointDynamoDbClient choose(CheckpointProperties.Dynamodb properties, int maxRenewalThreads,
            ObjectProvider<DynamoDbClient> applicationClients, ObjectProvider<AwsRegionProvider> regions,
            ObjectProvider<AwsCredentialsProvider> credentials, Stream<CheckpointDynamoDbClientCustomizer> customizers) {
        DynamoDbClient application = AwsClients.applicationClient(DYNAMODB, applicationClients, properties);
        if (application != null) {
            return CheckpointDynamoDbClient.application(application);
        }
        List<CheckpointDynamoDbClientCustomizer> customizing = customizers.toList();
        DynamoDbClient client = own(properties.maxConnections(), properties, regions, credentials, customizing);
        try {
            return CheckpointDynamoDbClient.own(client,
                    own(maxRenewalThreads, properties, regions, credentials, customizing));
        }
        catch (RuntimeException failed) {
            client.close();
            throw failed;
        }
    }

    private static DynamoDbClient own(int maxConnections, CheckpointProperties.Dynamodb properties,
            ObjectProvider<AwsRegionProvider> regions, ObjectProvider<AwsCredentialsProvider> credentials,
            List<CheckpointDynamoDbClientCustomizer> customizers) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()));
        MaxConnectionsHttpClientBuilder pool = MaxConnectionsHttpClientBuilder.of(maxConnections);
        if (pool != null) {
            builder.httpClientBuilder(pool);
        }
        return AwsClients.build(DYNAMODB, builder, properties, regions, credentials,
                own -> customizers.forEach(customizer -> customizer.customize(own)));
    }
}
