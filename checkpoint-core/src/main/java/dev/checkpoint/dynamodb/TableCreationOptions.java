package dev.checkpoint.dynamodb;

import java.time.Duration;

import software.amazon.awssdk.services.dynamodb.model.BillingMode;

/**
 * How the lease table is found and, when missing, created.
 *
 * @param tableName the table
 * @param createTable whether a missing table is created
 * @param billingMode the billing mode of a created table
 * @param readCapacity read capacity units, for {@link BillingMode#PROVISIONED}
 * @param writeCapacity write capacity units, for {@link BillingMode#PROVISIONED}
 * @param activeTimeout how long to wait for the table to become ACTIVE
 * @param options tags, deletion protection, encryption and backups of a created table
 * @param keys the layout of its keys: the Go library's, or shared by consumer groups
 */
record TableCreationOptions(String tableName, boolean createTable, BillingMode billingMode, long readCapacity,
        long writeCapacity, Duration activeTimeout, TableOptions options, LeaseKeys keys) {
}
