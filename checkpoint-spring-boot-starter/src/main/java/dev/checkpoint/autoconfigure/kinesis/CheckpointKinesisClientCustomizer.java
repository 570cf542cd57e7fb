package dev.checkpoint.autoconfigure.kinesis;

import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Customizes the {@code KinesisClient} that the starter builds when the application has none, after the properties are
 * applied. Beans of this type are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface CheckpointKinesisClientCustomizer {

    void customize(KinesisClientBuilder builder);
}
