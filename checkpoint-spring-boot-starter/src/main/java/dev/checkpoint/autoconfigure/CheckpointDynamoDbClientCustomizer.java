package dev.checkpoint.autoconfigure;

import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Customizes the {@code DynamoDbClient} that checkpoint builds when the application has none, after the
 * properties are applied. Beans of this type are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface CheckpointDynamoDbClientCustomizer {

    void customize(DynamoDbClientBuilder builder);
}
