package dev.checkpoint.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.checkpoint.autoconfigure.CheckpointProperties.BillingMode;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Checks the properties, fills in the defaults that depend on the environment (table name, worker id), and
 * applies them to a checkpointer builder. A value that cannot work stops start-up with an
 * {@link InvalidCheckpointPropertyException} that names its property.
 */
final class CheckpointBuilderConfigurer {

    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    private final CheckpointProperties properties;
    private final String tableName;
    private final String workerId;

    CheckpointBuilderConfigurer(CheckpointProperties properties, Environment environment) {
        this.properties = properties;
        this.tableName = resolveTableName(properties, environment);
        this.workerId = resolveWorkerId(properties);
        validate();
    }

    String tableName() {
        return tableName;
    }

    String workerId() {
        return workerId;
    }

    DynamoDbCheckpointer.Builder apply(DynamoDbCheckpointer.Builder builder, DynamoDbClient client) {
        builder.dynamoDbClient(client)
                .tableName(tableName)
                .workerId(workerId)
                .leaseDuration(properties.getLeaseDuration())
                .retries(properties.getRetries())
                .requestTimeout(properties.getRequestTimeout())
                .createTable(properties.isCreateTable())
                .enableLeaseStealing(properties.getLeaseStealing().isEnabled());
        if (properties.getLeaseStealing().getClaimTimeout() != null) {
            builder.claimTimeout(properties.getLeaseStealing().getClaimTimeout());
        }
        if (properties.getBillingMode() == BillingMode.PROVISIONED) {
            builder.provisioned(properties.getReadCapacity(), properties.getWriteCapacity());
        }
        return builder;
    }

    private static String resolveTableName(CheckpointProperties properties, Environment environment) {
        if (properties.getTableName() != null && !properties.getTableName().isBlank()) {
            return properties.getTableName();
        }
        String applicationName = environment.getProperty("spring.application.name");
        if (applicationName == null || applicationName.isBlank()) {
            throw new InvalidCheckpointPropertyException("checkpoint.table-name", null,
                    "no lease table is named, and spring.application.name is not set either",
                    "Set checkpoint.table-name to the lease table, for example checkpoint.table-name=orders-consumer-leases.");
        }
        return applicationName;
    }

    private static String resolveWorkerId(CheckpointProperties properties) {
        if (properties.getWorkerId() != null) {
            return properties.getWorkerId();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException unknown) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private void validate() {
        if (!TABLE_NAME.matcher(tableName).matches()) {
            String property = tableName.equals(properties.getTableName()) ? "checkpoint.table-name" : "spring.application.name";
            throw new InvalidCheckpointPropertyException(property, tableName,
                    "a DynamoDB table name must be 3 to 255 characters of a-z, A-Z, 0-9, '_', '.' and '-'",
                    "Set checkpoint.table-name to a valid table name, for example orders-consumer-leases.");
        }
        if (workerId.isBlank()) {
            throw new InvalidCheckpointPropertyException("checkpoint.worker-id", workerId, "must not be blank",
                    "Remove checkpoint.worker-id to use the host name plus a random suffix, or set a unique id.");
        }
        requirePositive("checkpoint.lease-duration", properties.getLeaseDuration(), "10s");
        requirePositive("checkpoint.request-timeout", properties.getRequestTimeout(), "2s");
        if (properties.getLeaseStealing().getClaimTimeout() != null) {
            requirePositive("checkpoint.lease-stealing.claim-timeout", properties.getLeaseStealing().getClaimTimeout(), "30s");
        }
        if (properties.getRequestTimeout() != null && properties.getRequestTimeout().compareTo(properties.getLeaseDuration()) >= 0) {
            throw new InvalidCheckpointPropertyException("checkpoint.request-timeout", properties.getRequestTimeout(),
                    "must be shorter than checkpoint.lease-duration (" + properties.getLeaseDuration()
                            + "), or a renewal could outlast the lease it renews",
                    "Lower checkpoint.request-timeout, or raise checkpoint.lease-duration.");
        }
        if (properties.getRetries() < 0) {
            throw new InvalidCheckpointPropertyException("checkpoint.retries", properties.getRetries(),
                    "must be 0 or more", "Set checkpoint.retries to 0 or more; the default is 10.");
        }
        validateCoordinator(properties.getCoordinator());
        validateCapacity("checkpoint.read-capacity", properties.getReadCapacity());
        validateCapacity("checkpoint.write-capacity", properties.getWriteCapacity());
    }

    private void validateCoordinator(CheckpointProperties.Coordinator coordinator) {
        Duration renew = coordinator.getRenewInterval();
        if (renew != null) {
            requirePositive("checkpoint.coordinator.renew-interval", renew, "3s");
            if (renew.multipliedBy(2).compareTo(properties.getLeaseDuration()) >= 0) {
                throw new InvalidCheckpointPropertyException("checkpoint.coordinator.renew-interval", renew,
                        "must be below half of checkpoint.lease-duration (" + properties.getLeaseDuration()
                                + "), so that one late renewal does not lose the lease",
                        "Lower checkpoint.coordinator.renew-interval to a third of checkpoint.lease-duration, or remove it to use that default.");
            }
        }
        requirePositive("checkpoint.coordinator.sync-interval", coordinator.getSyncInterval(), "10s");
        requirePositive("checkpoint.coordinator.shutdown-grace", coordinator.getShutdownGrace(), "10s");
        if (coordinator.getMaxLeasesForWorker() != null && coordinator.getMaxLeasesForWorker() < 1) {
            throw new InvalidCheckpointPropertyException("checkpoint.coordinator.max-leases-for-worker",
                    coordinator.getMaxLeasesForWorker(), "must be 1 or more",
                    "Set checkpoint.coordinator.max-leases-for-worker to 1 or more, or remove it for no limit.");
        }
        if (coordinator.getMaxLeasesToStealAtOneTime() < 0) {
            throw new InvalidCheckpointPropertyException("checkpoint.coordinator.max-leases-to-steal-at-one-time",
                    coordinator.getMaxLeasesToStealAtOneTime(), "must be 0 or more",
                    "Set checkpoint.coordinator.max-leases-to-steal-at-one-time to 0 or more; the default is 4.");
        }
    }

    /** The coordinator's settings, checked when the checkpointer was configured, applied to its builder. */
    static LeaseCoordinator.Builder applyCoordinator(CheckpointProperties properties, LeaseCoordinator.Builder builder) {
        CheckpointProperties.Coordinator coordinator = properties.getCoordinator();
        if (coordinator.getRenewInterval() != null) {
            builder.renewInterval(coordinator.getRenewInterval());
        }
        if (coordinator.getMaxLeasesForWorker() != null) {
            builder.maxLeasesForWorker(coordinator.getMaxLeasesForWorker());
        }
        return builder.syncInterval(coordinator.getSyncInterval())
                .maxLeasesToStealAtOneTime(coordinator.getMaxLeasesToStealAtOneTime())
                .shutdownGrace(coordinator.getShutdownGrace());
    }

    private void validateCapacity(String property, Long capacity) {
        if (properties.getBillingMode() == BillingMode.PROVISIONED && (capacity == null || capacity <= 0)) {
            throw new InvalidCheckpointPropertyException(property, capacity,
                    "provisioned billing needs a positive read and write capacity",
                    "Set " + property + " to a positive number of capacity units, or set checkpoint.billing-mode=pay-per-request.");
        }
        if (properties.getBillingMode() == BillingMode.PAY_PER_REQUEST && capacity != null) {
            throw new InvalidCheckpointPropertyException(property, capacity,
                    "capacity applies only to provisioned billing, and checkpoint.billing-mode is pay-per-request",
                    "Remove " + property + ", or set checkpoint.billing-mode=provisioned.");
        }
    }

    private static void requirePositive(String property, Duration value, String example) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidCheckpointPropertyException(property, value, "must be a positive duration",
                    "Set " + property + " to a positive duration, for example " + property + "=" + example + ".");
        }
    }
}
