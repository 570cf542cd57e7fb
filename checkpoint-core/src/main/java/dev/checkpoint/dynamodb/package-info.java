/**
 * The DynamoDB implementation: {@link dev.checkpoint.dynamodb.DynamoDbCheckpointer} and its lease store, the
 * protocol's conditional writes ({@link dev.checkpoint.dynamodb.LeaseConditions}) and the table's rows.
 */
@NullMarked
package dev.checkpoint.dynamodb;

import org.jspecify.annotations.NullMarked;
