package dev.checkpoint.autoconfigure.kinesis;

import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;

/**
 * Customizes the {@code KinesisAsyncClient} that the starter builds for enhanced fan-out when the application has
 * none, after the properties are applied. Beans of this type are applied in their {@code @Order}.
 */
@FunctionalInterface
public interface CheckpointKinesisAsyncClientCustomizer {

    void customize(KinesisAsyncClientBuilder builder);
}
