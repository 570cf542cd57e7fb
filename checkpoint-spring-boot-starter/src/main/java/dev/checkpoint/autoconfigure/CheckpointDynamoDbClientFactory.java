package dev.checkpoint.autoconfigure;

import java.util.Optional;
import java.util.stream.Stream;

import org.springframework.util.StringUtils;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the DynamoDB client, in this one place. Order of precedence: the customizers last, then
 * {@code checkpoint.dynamodb.*} (endpoint, region, static credentials), then the AWS SDK's default chains for
 * region and credentials.
 */
final class CheckpointDynamoDbClientFactory {

    private CheckpointDynamoDbClientFactory() {
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
