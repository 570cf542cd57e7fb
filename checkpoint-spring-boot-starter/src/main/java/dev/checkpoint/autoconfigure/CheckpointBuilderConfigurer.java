package dev.checkpoint.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.function.Supplier;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.autoconfigure.CheckpointProperties.BillingMode;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.dynamodb.TableEncryption;
import dev.checkpoint.dynamodb.TableOptions;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.core.env.Environment;

/**
 * Builds the checkpointer and the coordinator from the properties. The core builders check the values; a value they
 * refuse stops start-up with an {@link InvalidCheckpointPropertyException} that names the property instead of the
 * builder's setting. Only what the builders cannot know is checked here: a table name from nowhere, and capacity
 * missing for provisioned billing or given for on-demand billing.
 */
final class CheckpointBuilderConfigurer {

    /** Each builder setting's property. */
    private static final SettingProperties PROPERTIES = SettingProperties.under("checkpoint", "tableName", "workerId",
                    "consumerGroup", "renewalMode", "leaseDuration", "retries", "requestTimeout", "readCapacity",
                    "writeCapacity")
            .and("checkpoint.lease-stealing", "claimTimeout")
            .and("checkpoint.coordinator", "renewInterval", "syncInterval", "maxLeasesForWorker",
                    "maxLeasesToStealAtOneTime", "shutdownGrace", "maxRenewalThreads");

    private final CheckpointProperties properties;
    private final boolean tableNamedByApplication;
    private final String tableName;
    private final String workerId;

    CheckpointBuilderConfigurer(CheckpointProperties properties, Environment environment) {
        this.properties = properties;
        this.tableNamedByApplication = properties.getTableName() == null || properties.getTableName().isBlank();
        this.tableName = tableNamedByApplication ? applicationName(environment) : properties.getTableName();
        this.workerId = properties.getWorkerId() != null ? properties.getWorkerId() : hostNameAndSuffix();
        requireCapacityWhenProvisionedOnly("checkpoint.read-capacity", properties.getReadCapacity());
        requireCapacityWhenProvisionedOnly("checkpoint.write-capacity", properties.getWriteCapacity());
    }

    DynamoDbCheckpointer checkpointer(CheckpointDynamoDbClient clients, CheckpointListener listener,
            CheckpointTableProperties table) {
        DynamoDbCheckpointer.Builder builder = DynamoDbCheckpointer.builder().dynamoDbClient(clients.client())
                .tableName(tableName).workerId(workerId).listener(listener);
        if (clients.renewalClient() != null) {
            builder.renewalClient(clients.renewalClient());
        }
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getLeaseDuration).to(builder::leaseDuration);
        map.from(properties::getRetries).to(builder::retries);
        map.from(properties::getRequestTimeout).to(builder::requestTimeout);
        map.from(properties::isCreateTable).to(builder::createTable);
        map.from(properties::getConsumerGroup).to(builder::consumerGroup);
        map.from(properties::getRenewalMode).to(builder::renewalMode);
        map.from(properties.getLeaseStealing()::isEnabled).to(builder::enableLeaseStealing);
        map.from(properties.getLeaseStealing()::getClaimTimeout).to(builder::claimTimeout);
        if (properties.getBillingMode() == BillingMode.PROVISIONED) {
            builder.provisioned(properties.getReadCapacity(), properties.getWriteCapacity());
        }
        builder.tableOptions(tableOptions(table));
        return build(builder::build, tableNamedByApplication);
    }

    private static TableOptions tableOptions(CheckpointTableProperties table) {
        boolean customerKey = table.getEncryption() == CheckpointTableProperties.Encryption.CUSTOMER_MANAGED;
        if (customerKey != (table.getKmsKeyId() != null)) {
            throw new InvalidCheckpointPropertyException("checkpoint.table.kms-key-id", table.getKmsKeyId(),
                    customerKey ? "must be set when checkpoint.table.encryption is customer-managed"
                            : "applies only when checkpoint.table.encryption is customer-managed",
                    customerKey ? "Set checkpoint.table.kms-key-id to the KMS key's id, ARN or alias."
                            : "Remove checkpoint.table.kms-key-id, or set checkpoint.table.encryption=customer-managed.");
        }
        TableEncryption encryption = switch (table.getEncryption()) {
            case AWS_OWNED -> TableEncryption.awsOwned();
            case AWS_MANAGED -> TableEncryption.awsManaged();
            case CUSTOMER_MANAGED -> TableEncryption.customerManaged(table.getKmsKeyId());
        };
        try {
            return TableOptions.builder().tags(table.getTags()).deletionProtection(table.isDeletionProtection())
                    .encryption(encryption).pointInTimeRecovery(table.isPointInTimeRecovery()).build();
        }
        catch (InvalidSettingException invalid) {
            throw InvalidCheckpointPropertyException.of(invalid, "checkpoint.table.tags", setting -> "checkpoint.table." + setting);
        }
    }

    /** The coordinator's properties applied to {@code builder}, which has its store, source and listener. */
    static LeaseCoordinator coordinator(CheckpointProperties.Coordinator coordinator, LeaseCoordinator.Builder builder) {
        PropertyMapper map = PropertyMapper.get();
        map.from(coordinator::getRenewInterval).to(builder::renewInterval);
        map.from(coordinator::getSyncInterval).to(builder::syncInterval);
        map.from(coordinator::getMaxLeasesForWorker).to(builder::maxLeasesForWorker);
        map.from(coordinator::getMaxLeasesToStealAtOneTime).to(builder::maxLeasesToStealAtOneTime);
        map.from(coordinator::getShutdownGrace).to(builder::shutdownGrace);
        map.from(coordinator::getMaxRenewalThreads).to(builder::maxRenewalThreads);
        return build(builder::build, false);
    }

    /** Builds, saying in the properties' terms what a builder refused. */
    private static <T> T build(Supplier<T> build, boolean tableNamedByApplication) {
        try {
            return build.get();
        }
        catch (InvalidSettingException invalid) {
            String property = "tableName".equals(invalid.getSetting()) && tableNamedByApplication
                    ? "spring.application.name" : propertyOf(invalid.getSetting());
            throw translated(invalid, property);
        }
    }

    private static InvalidCheckpointPropertyException translated(InvalidSettingException invalid, String property) {
        if (property.equals("spring.application.name")) {
            return new InvalidCheckpointPropertyException(property, invalid.getValue(),
                    "must be " + invalid.getRequirement(CheckpointBuilderConfigurer::propertyOf),
                    "Set checkpoint.table-name to a valid table name, for example orders-consumer-leases.");
        }
        return InvalidCheckpointPropertyException.of(invalid, property, CheckpointBuilderConfigurer::propertyOf);
    }

    private static String propertyOf(String setting) {
        return PROPERTIES.apply(setting);
    }

    private static String applicationName(Environment environment) {
        String applicationName = environment.getProperty("spring.application.name");
        if (applicationName == null || applicationName.isBlank()) {
            throw new InvalidCheckpointPropertyException("checkpoint.table-name", null,
                    "no lease table is named, and spring.application.name is not set either",
                    "Set checkpoint.table-name to the lease table, for example checkpoint.table-name=orders-consumer-leases.");
        }
        return applicationName;
    }

    private static String hostNameAndSuffix() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException unknown) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Capacity is set for provisioned billing, and only then; the builder checks that it is positive. */
    private void requireCapacityWhenProvisionedOnly(String property, Long capacity) {
        if (properties.getBillingMode() == BillingMode.PROVISIONED && capacity == null) {
            throw new InvalidCheckpointPropertyException(property, null, "provisioned billing needs a read and a write capacity",
                    "Set " + property + " to a positive number of capacity units, or set checkpoint.billing-mode=pay-per-request.");
        }
        if (properties.getBillingMode() == BillingMode.PAY_PER_REQUEST && capacity != null) {
            throw new InvalidCheckpointPropertyException(property, capacity,
                    "capacity applies only to provisioned billing, and checkpoint.billing-mode is pay-per-request",
                    "Remove " + property + ", or set checkpoint.billing-mode=provisioned.");
        }
    }
}
