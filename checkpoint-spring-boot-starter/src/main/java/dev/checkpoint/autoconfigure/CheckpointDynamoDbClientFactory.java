package dev.checkpoint.autoconfigure;

import java.util.stream.Stream;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the DynamoDB client, in this one place. Order of precedence: the customizers last, then
 * {@code checkpoint.dynamodb.*}, then the AWS SDK's default chains for region and credentials.
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
}
