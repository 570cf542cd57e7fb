package dev.checkpoint.autoconfigure.actuate;

import dev.checkpoint.actuate.CheckpointMetrics;
import dev.checkpoint.actuate.RenewalThreadsMetrics;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.LeaseTableView;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of checkpoint, when Micrometer is present. The meters are a listener of the checkpointer, so
 * this runs before the checkpointer is built; the gauge reads the lease table view lazily.
 */
@AutoConfiguration
@ConditionalOnClass({ MeterBinder.class, LeaseTableView.class })
public final class CheckpointMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CheckpointMetrics checkpointMetrics(ObjectProvider<LeaseTableView> leases) {
        return new CheckpointMetrics(() -> {
            LeaseTableView available = leases.getIfAvailable();
            return available == null ? 0 : available.status().heldLeases().size();
        });
    }

    @Bean
    @ConditionalOnMissingBean
    RenewalThreadsMetrics renewalThreadsMetrics(ObjectProvider<LeaseCoordinator> coordinators) {
        return new RenewalThreadsMetrics(() -> {
            LeaseCoordinator coordinator = coordinators.getIfAvailable();
            return coordinator == null ? null : coordinator.renewalThreads();
        });
    }
}
