package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.TableNotFoundException;
import dev.checkpoint.TableSchemaMismatchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateContinuousBackupsRequest;
import org.jspecify.annotations.Nullable;

/**
 * Makes sure the lease table exists, has the right key and is ACTIVE. Several workers may do this at once:
 * a concurrent creation is not an error, and only ResourceNotFound means "missing".
 */
final class LeaseTable {

    private static final Logger log = LoggerFactory.getLogger(LeaseTable.class);

    static final Duration POLL_DELAY = Duration.ofMillis(100);

    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final TableCreationOptions settings;
    private final Sleeper sleeper;
    private final MonotonicClock monotonicClock;

    LeaseTable(DynamoDbClient client, DynamoDbCalls calls, TableCreationOptions settings, Sleeper sleeper,
            MonotonicClock monotonicClock) {
        this.client = client;
        this.calls = calls;
        this.settings = settings;
        this.sleeper = sleeper;
        this.monotonicClock = monotonicClock;
    }

    /** Creates the table when needed and allowed, checks its key, and waits until it is ACTIVE. */
    void ensureActive() {
        TableDescription table = describe();
        boolean created = false;
        if (table == null) {
            if (!settings.createTable()) {
                throw new TableNotFoundException(settings.tableName());
            }
            created = create();
        }
        else {
            checkKeySchema(table);
        }
        TableDescription active = waitUntilActive();
        if (created) {
            configure(active);
        }
    }

    /** The table's status, or {@code null} when it does not exist: one DescribeTable, not retried. */
    @Nullable TableStatus status() {
        TableDescription table = describe(calls.withRetries(0));
        return table == null ? null : table.tableStatus();
    }

    /**
     * Whether the table is keyed for consumer groups ({@code ConsumerGroup} as its hash key): one DescribeTable.
     *
     * @throws TableNotFoundException when it does not exist
     */
    boolean isSharedByGroups() {
        TableDescription table = describe();
        if (table == null) {
            throw new TableNotFoundException(settings.tableName());
        }
        return table.keySchema().stream().anyMatch(key -> key.keyType() == KeyType.HASH
                && CheckpointConstants.CONSUMER_GROUP_KEY.equals(key.attributeName()));
    }

    private TableDescription describe() {
        return describe(calls);
    }

    private TableDescription describe(DynamoDbCalls calls) {
        try {
            return calls.execute(CheckpointOperation.DESCRIBE_TABLE, null, () -> client.describeTable(
                    DescribeTableRequest.builder().tableName(settings.tableName())
                            .overrideConfiguration(calls.requestOverrides()).build()).table());
        }
        catch (CheckpointStoreException failure) {
            if (failure.getCause() instanceof ResourceNotFoundException) {
                return null;
            }
            throw failure;
        }
    }

    /** @return whether this worker created it (not another worker at the same moment) */
    private boolean create() {
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(settings.tableName())
                .keySchema(settings.keys().schema())
                .attributeDefinitions(settings.keys().definitions())
                .billingMode(settings.billingMode())
                .overrideConfiguration(calls.requestOverrides());
        if (settings.billingMode() == BillingMode.PROVISIONED) {
            request.provisionedThroughput(throughput -> throughput
                    .readCapacityUnits(settings.readCapacity()).writeCapacityUnits(settings.writeCapacity()));
        }
        TableOptions options = settings.options();
        if (options.deletionProtection()) {
            request.deletionProtectionEnabled(true);
        }
        SSESpecification encryption = options.encryption().specification();
        if (encryption != null) {
            request.sseSpecification(encryption);
        }
        try {
            calls.execute(CheckpointOperation.CREATE_TABLE, null, () -> client.createTable(request.build()));
            log.info("Created lease table {} ({}, {})", settings.tableName(), settings.billingMode(), options.encryption());
            return true;
        }
        catch (CheckpointStoreException failure) {
            if (!(failure.getCause() instanceof ResourceInUseException)) {
                throw failure;
            }
            log.debug("Lease table {} is being created by another worker", settings.tableName());
            return false;
        }
    }

    /**
     * What CreateTable cannot carry, once the table this worker created is ACTIVE: its tags (TagResource, on its ARN)
     * and point-in-time recovery (UpdateContinuousBackups).
     */
    private void configure(TableDescription table) {
        TableOptions options = settings.options();
        if (!options.tags().isEmpty()) {
            List<Tag> tags = options.tags().entrySet().stream()
                    .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build()).toList();
            calls.execute(CheckpointOperation.TAG_TABLE, null, () -> client.tagResource(TagResourceRequest.builder()
                    .resourceArn(table.tableArn()).tags(tags).overrideConfiguration(calls.requestOverrides()).build()));
        }
        if (options.pointInTimeRecovery()) {
            calls.execute(CheckpointOperation.ENABLE_BACKUPS, null, () -> client.updateContinuousBackups(
                    UpdateContinuousBackupsRequest.builder().tableName(settings.tableName())
                            .pointInTimeRecoverySpecification(recovery -> recovery.pointInTimeRecoveryEnabled(true))
                            .overrideConfiguration(calls.requestOverrides()).build()));
        }
    }

    private TableDescription waitUntilActive() {
        long deadline = monotonicClock.nanoTime() + settings.activeTimeout().toNanos();
        while (true) {
            // Right after CreateTable, DescribeTable may still answer ResourceNotFound: keep polling.
            TableDescription table = describe();
            if (table != null) {
                checkKeySchema(table);
                if (table.tableStatus() == TableStatus.ACTIVE) {
                    return table;
                }
            }
            if (monotonicClock.nanoTime() - deadline > 0) {
                throw new CheckpointStoreException(null, "lease table " + settings.tableName()
                        + " did not become ACTIVE within " + settings.activeTimeout() + " (status "
                        + (table == null ? "not found" : table.tableStatusAsString()) + ")", null);
            }
            try {
                sleeper.sleep(POLL_DELAY);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new CheckpointStoreException(null, "interrupted while waiting for lease table "
                        + settings.tableName() + " to become ACTIVE", interrupted);
            }
        }
    }

    private void checkKeySchema(TableDescription table) {
        List<String> differences = settings.keys().differences(table);
        if (!differences.isEmpty()) {
            String actual = table.keySchema().stream()
                    .map(element -> element.attributeName() + " (" + element.keyTypeAsString() + ", "
                            + LeaseKeys.typeOf(table, element.attributeName()) + ")")
                    .collect(Collectors.joining(", ", "[", "]"));
            throw new TableSchemaMismatchException(settings.tableName(), actual, differences);
        }
    }

}
