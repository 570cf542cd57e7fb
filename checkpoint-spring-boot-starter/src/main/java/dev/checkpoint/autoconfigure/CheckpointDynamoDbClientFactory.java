package dev.checkpoint.autoconfigure;

import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.StringUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Chooses the checkpointer's DynamoDB client, in this one place:
 * <ol>
 * <li>the application's {@link DynamoDbClient} bean when it has one, such as Spring Cloud AWS's, with its region,
 * endpoint, credentials and customizers; {@code checkpoint.dynamodb.*} set as well is refused, since it would be
 * ignored;</li>
 * <li>otherwise a client of the checkpointer's own: {@code checkpoint.dynamodb.*} (endpoint, region, static
 * credentials), then the AWS SDK's default chains for region and credentials, then the
 * {@link CheckpointDynamoDbClientCustomizer}s, last word theirs.</li>
 * </ol>
 */
final class CheckpointDynamoDbClientFactory {

    private CheckpointDynamoDbClientFactory() {
    }

    static CheckpointDynamoDbClient choose(CheckpointProperties.Dynamodb properties, ObjectProvider<DynamoDbClient> applicationClients,
            Stream<CheckpointDynamoDbClientCustomizer> customizers) {
        DynamoDbClient application = applicationClients.getIfUnique();
        if (application != null) {
            rejectOwnSettings(properties);
            return CheckpointDynamoDbClient.application(application);
        }
        if (applicationClients.stream().findAny().isPresent()) {
            throw new InvalidCheckpointPropertyException("DynamoDbClient", "several beans",
                    "the application has several DynamoDbClient beans and the checkpointer cannot tell which to use",
                    "Mark the one for the lease table @Primary, or define a DynamoDbCheckpointer bean of your own.");
        }
        return CheckpointDynamoDbClient.own(create(properties, customizers));
    }

    /** With the application's client in use, {@code checkpoint.dynamodb.*} would be ignored: say so, and stop. */
    private static void rejectOwnSettings(CheckpointProperties.Dynamodb properties) {
        String set = properties.getEndpoint() != null ? "checkpoint.dynamodb.endpoint"
                : properties.getRegion() != null ? "checkpoint.dynamodb.region"
                : StringUtils.hasText(properties.getAccessKeyId()) ? "checkpoint.dynamodb.access-key-id"
                : StringUtils.hasText(properties.getSecretAccessKey()) ? "checkpoint.dynamodb.secret-access-key" : null;
        if (set != null) {
            boolean secret = set.endsWith("secret-access-key") || set.endsWith("access-key-id");
            throw new InvalidCheckpointPropertyException(set, secret ? "(hidden)" : set.endsWith("endpoint")
                    ? properties.getEndpoint() : properties.getRegion(),
                    "it would be ignored: the application has a DynamoDbClient bean (Spring Cloud AWS's, or its own), "
                            + "and the checkpointer uses that client",
                    "Remove checkpoint.dynamodb.*, and configure the application's client instead: with Spring Cloud AWS, "
                            + "spring.cloud.aws.dynamodb.endpoint, spring.cloud.aws.region.static and spring.cloud.aws.credentials.*.");
        }
    }

    static DynamoDbClient create(CheckpointProperties.Dynamodb properties, Stream<CheckpointDynamoDbClientCustomizer> customizers) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder();
        if (properties.getEndpoint() != null) {
            builder.endpointOverride(properties.getEndpoint());
        }
        if (properties.getRegion() != null) {
            builder.region(Region.of(properties.getRegion()));
        }
        staticCredentials(properties).ifPresent(builder::credentialsProvider);
        // The checkpointer's retries are the only ones (checkpoint.retries): a client without retries of its own spares
        // the SDK switching them off on every request.
        builder.overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()));
        customizers.forEach(customizer -> customizer.customize(builder));
        try {
            return builder.build();
        }
        catch (SdkClientException noRegion) {
            throw new InvalidCheckpointPropertyException("checkpoint.dynamodb.region", properties.getRegion(),
                    "no AWS region is set and the AWS SDK found none: " + noRegion.getMessage(),
                    "Set checkpoint.dynamodb.region, for example checkpoint.dynamodb.region=eu-west-1, or the AWS_REGION environment variable.");
        }
    }

    /** Static credentials when both properties are set; neither value is ever put in a message. */
    private static Optional<AwsCredentialsProvider> staticCredentials(CheckpointProperties.Dynamodb properties) {
        boolean keyId = StringUtils.hasText(properties.getAccessKeyId());
        boolean secret = StringUtils.hasText(properties.getSecretAccessKey());
        if (keyId != secret) {
            String missing = keyId ? "checkpoint.dynamodb.secret-access-key" : "checkpoint.dynamodb.access-key-id";
            String present = keyId ? "checkpoint.dynamodb.access-key-id" : "checkpoint.dynamodb.secret-access-key";
            throw new InvalidCheckpointPropertyException(missing, "", "must be set when " + present + " is set",
                    "Set both " + missing + " and " + present + ", or neither to use the AWS SDK's default credentials chain.");
        }
        return keyId ? Optional.of(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                properties.getAccessKeyId(), properties.getSecretAccessKey()))) : Optional.empty();
    }
}
