package dev.checkpoint.autoconfigure.actuate;

import dev.checkpoint.actuate.CheckpointMetrics;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters of checkpoint, when Micrometer is present. The meters are a listener of the checkpointer, so
 * this runs before the checkpointer is built; the gauge reads the checkpointer lazily.
 */
@AutoConfiguration
@ConditionalOnClass({ MeterBinder.class, DynamoDbCheckpointer.class })
public final class CheckpointMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    CheckpointMetrics checkpointMetrics(ObjectProvider<DynamoDbCheckpointer> checkpointer) {
        return new CheckpointMetrics(() -> {
            DynamoDbCheckpointer available = checkpointer.getIfAvailable();
            return available == null ? 0 : available.status().heldLeases().size();
        });
    }
}
