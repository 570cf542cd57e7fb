package dev.checkpoint.kinesis.migration;

import java.time.Duration;

import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A KCL lease table as the KCL makes it, for an export into a table that does not exist yet: {@code leaseKey} as its
 * hash key, on demand. (The KCL 3 adds its owner index itself at start-up.)
 */
final class KclTableCreation {

    private final DynamoDbClient client;
    private final String table;

    KclTableCreation(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    void ensureExists() {
        try {
            client.describeTable(describe -> describe.tableName(table));
            return;
        }
        catch (ResourceNotFoundException missing) {
            // made below
        }
        try {
            client.createTable(create -> create.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(KclLeaseTable.LEASE_KEY)
                            .attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(KclLeaseTable.LEASE_KEY).keyType(KeyType.HASH).build()));
        }
        catch (ResourceInUseException madeMeanwhile) {
            // another export, or the KCL, made it first
        }
        // The SDK's waiter asks every 20 s; a new table is ACTIVE within seconds
        client.waiter().waitUntilTableExists(describe -> describe.tableName(table), wait -> wait
                .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(250))).waitTimeout(Duration.ofMinutes(2)));
    }
}
