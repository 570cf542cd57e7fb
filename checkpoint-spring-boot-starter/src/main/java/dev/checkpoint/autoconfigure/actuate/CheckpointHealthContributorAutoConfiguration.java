package dev.checkpoint.autoconfigure.actuate;

import dev.checkpoint.actuate.CheckpointHealthIndicator;
import dev.checkpoint.autoconfigure.CheckpointAutoConfiguration;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.LeaseTableView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code checkpoint} health indicator, when Spring Boot's health support is present. */
@AutoConfiguration(after = CheckpointAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(LeaseTableView.class)
@ConditionalOnEnabledHealthIndicator("checkpoint")
public final class CheckpointHealthContributorAutoConfiguration {

    @Bean(name = "checkpointHealthIndicator")
    @ConditionalOnMissingBean(name = "checkpointHealthIndicator")
    CheckpointHealthIndicator checkpointHealthIndicator(LeaseTableView leases,
            ObjectProvider<LeaseCoordinator> coordinator) {
        return new CheckpointHealthIndicator(leases, coordinator.getIfAvailable());
    }
}
