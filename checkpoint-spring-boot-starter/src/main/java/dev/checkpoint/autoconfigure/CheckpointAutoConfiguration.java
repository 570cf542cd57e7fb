package dev.checkpoint.autoconfigure;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.Checkpointer;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnThreading;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.boot.thread.Threading;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Auto-configuration of checkpoint: a {@link DynamoDbCheckpointer} on the lease table, through the application's
 * {@link DynamoDbClient} (Spring Cloud AWS's, when present) or a client of its own (see
 * {@link CheckpointDynamoDbClient}); the table checked and created by a {@link LeaseTableInitializer}; and, when the
 * application defines a {@link ShardSource}, a {@link LeaseCoordinator} run with the context. When the application
 * runs on virtual threads, so do the coordinator's renewals ({@link CheckpointVirtualThreads}).
 */
@AutoConfiguration(afterName = "io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration")
@ConditionalOnClass({ DynamoDbCheckpointer.class, DynamoDbClient.class })
@EnableConfigurationProperties({ CheckpointProperties.class, CheckpointTableProperties.class })
public final class CheckpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CheckpointDynamoDbClient checkpointDynamoDbClient(CheckpointProperties properties,
            ObjectProvider<DynamoDbClient> applicationClients, ObjectProvider<AwsRegionProvider> regions,
            ObjectProvider<AwsCredentialsProvider> credentials,
            ObjectProvider<CheckpointDynamoDbClientCustomizer> customizers) {
        return CheckpointDynamoDbClientFactory.choose(properties.getDynamodb(),
                properties.getCoordinator().getMaxRenewalThreads(), applicationClients, regions, credentials,
                customizers.orderedStream());
    }

    @Bean
    @ConditionalOnMissingBean(Checkpointer.class)
    DynamoDbCheckpointer checkpointer(CheckpointDynamoDbClient dynamoDbClient, CheckpointProperties properties,
            CheckpointTableProperties table, Environment environment, ObjectProvider<CheckpointListener> listeners) {
        return new CheckpointBuilderConfigurer(properties, environment).checkpointer(dynamoDbClient,
                CheckpointListener.composite(listeners.orderedStream().toList()), table);
    }

    /** The checkpointer's table as a {@link LeaseStore}: what the coordinator, the endpoint and health use. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(DynamoDbCheckpointer.class)
    LeaseStore leaseStore(DynamoDbCheckpointer checkpointer) {
        return checkpointer.leaseStore();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(Checkpointer.class)
    LeaseTableInitializer leaseTableInitializer(Checkpointer checkpointer, CheckpointProperties properties) {
        return new LeaseTableInitializer(checkpointer, properties.getTableInitialization());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean({ LeaseStore.class, ShardSource.class })
    LeaseCoordinator leaseCoordinator(LeaseStore leaseStore, ShardSource shardSource,
            ObjectProvider<LeaseListener> listener, CheckpointProperties properties,
            ObjectProvider<CheckpointVirtualThreads> virtualThreads) {
        // Started by LeaseCoordinatorLifecycle once every bean is ready: after the table initializer's start-up check.
        LeaseListener leaseListener = listener.getIfAvailable();
        if (leaseListener == null) {
            throw new LeaseListenerMissingException();
        }
        LeaseCoordinator.Builder builder = LeaseCoordinator.builder().leaseStore(leaseStore).shardSource(shardSource)
                .listener(leaseListener);
        virtualThreads.ifAvailable(virtual -> builder.virtualThreads(virtual.named("checkpoint-coordinator-")));
        return CheckpointBuilderConfigurer.coordinator(properties.getCoordinator(), builder);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnThreading(Threading.VIRTUAL)
    CheckpointVirtualThreads checkpointVirtualThreads() {
        return new CheckpointVirtualThreads();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(LeaseCoordinator.class)
    LeaseCoordinatorLifecycle leaseCoordinatorLifecycle(LeaseCoordinator coordinator) {
        return new LeaseCoordinatorLifecycle(coordinator);
    }
}
