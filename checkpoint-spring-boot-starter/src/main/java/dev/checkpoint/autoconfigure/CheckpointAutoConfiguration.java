package dev.checkpoint.autoconfigure;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.Checkpointer;
import dev.checkpoint.autoconfigure.CheckpointProperties.TableInitialization;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Auto-configuration of checkpoint: a {@link DynamoDbClient} unless the application has one, a
 * {@link DynamoDbCheckpointer} on the lease table, initialised at start-up, and, when the application defines a
 * {@link ShardSource} and a {@link LeaseListener}, a {@link LeaseCoordinator} run with the context.
 */
@AutoConfiguration
@ConditionalOnClass({ DynamoDbCheckpointer.class, DynamoDbClient.class })
@EnableConfigurationProperties(CheckpointProperties.class)
public final class CheckpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DynamoDbClient checkpointDynamoDbClient(CheckpointProperties properties,
            ObjectProvider<CheckpointDynamoDbClientCustomizer> customizers) {
        return CheckpointDynamoDbClientFactory.create(properties.getDynamodb(), customizers.orderedStream());
    }

    @Bean
    @ConditionalOnMissingBean(Checkpointer.class)
    DynamoDbCheckpointer checkpointer(DynamoDbClient dynamoDbClient, CheckpointProperties properties,
            Environment environment, ObjectProvider<CheckpointListener> listeners) {
        CheckpointSettings settings = new CheckpointSettings(properties, environment);
        DynamoDbCheckpointer checkpointer = settings.apply(DynamoDbCheckpointer.builder(), dynamoDbClient)
                .listener(CheckpointListener.composite(listeners.orderedStream().toList()))
                .build();
        if (properties.getTableInitialization() == TableInitialization.STARTUP) {
            checkpointer.init();
        }
        return checkpointer;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({ DynamoDbCheckpointer.class, ShardSource.class })
    LeaseCoordinator leaseCoordinator(DynamoDbCheckpointer checkpointer, ShardSource shardSource, LeaseListener listener,
            CheckpointProperties properties) {
        return CheckpointSettings.applyCoordinator(properties, LeaseCoordinator.builder()).checkpointer(checkpointer)
                .shardSource(shardSource).listener(listener).build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(LeaseCoordinator.class)
    LeaseCoordinatorLifecycle leaseCoordinatorLifecycle(LeaseCoordinator coordinator) {
        return new LeaseCoordinatorLifecycle(coordinator);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(Checkpointer.class)
    @ConditionalOnProperty(name = "checkpoint.table-initialization", havingValue = "deferred")
    DeferredTableInitializer deferredTableInitializer(Checkpointer checkpointer) {
        return new DeferredTableInitializer(checkpointer);
    }
}
