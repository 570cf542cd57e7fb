package dev.checkpoint.autoconfigure.actuate;

import dev.checkpoint.actuate.LeasesEndpoint;
import dev.checkpoint.actuate.ShardProgress;
import dev.checkpoint.actuate.LeasesEndpointWebExtension;
import dev.checkpoint.autoconfigure.CheckpointProperties;
import dev.checkpoint.autoconfigure.CheckpointAutoConfiguration;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.LeaseStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code leases} endpoint, when Actuator is present and the endpoint is available. */
@AutoConfiguration(after = CheckpointAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(LeaseStore.class)
@ConditionalOnAvailableEndpoint(LeasesEndpoint.class)
public final class LeasesEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    LeasesEndpoint leasesEndpoint(LeaseStore leases, ObjectProvider<LeaseCoordinator> coordinator,
            ObjectProvider<ShardProgress> progress, CheckpointProperties properties) {
        return new LeasesEndpoint(leases, coordinator.getIfAvailable(),
                properties.getCoordinator().getShutdownGrace().plus(leases.leaseDuration()), progress.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(LeasesEndpoint.class)
    LeasesEndpointWebExtension leasesEndpointWebExtension(LeasesEndpoint endpoint) {
        return new LeasesEndpointWebExtension(endpoint);
    }
}
