package dev.checkpoint.dynamodb;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

import dev.checkpoint.CheckpointOperation;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * One lease table as the protocol's parts write it: the client, its calls with their retries and timeouts, the table's
 * name and key layout, and the wall clock that stamps what is written. Each part of the protocol composes one; it holds
 * no state of its own.
 */
final class TableClient {

    final DynamoDbClient client;
    final DynamoDbCalls calls;
    final String tableName;
    /** The layout of the table's keys: the Go library's, or shared by consumer groups. */
    final LeaseKeys keys;
    /** Stamps lease timeouts and reset times; expiry is never judged by it ({@link LeaseObservations}). */
    final Clock clock;

    TableClient(DynamoDbClient client, DynamoDbCalls calls, String tableName, LeaseKeys keys, Clock clock) {
        this.client = client;
        this.calls = calls;
        this.tableName = tableName;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * The same table through {@code renewalClient}, with its own calls and watch of its pool: what renewals and
     * heartbeats write through when they have a client of their own.
     */
    TableClient throughRenewalClient(DynamoDbClient renewalClient) {
        return new TableClient(renewalClient, calls.forClient(renewalClient, ConnectionPoolWatch.Serves.RENEWALS),
                tableName, keys, clock);
    }

    /** The key of a row: a shard's, or one of the table's own ({@code #mode}, a heartbeat). */
    Map<String, AttributeValue> key(String rowKey) {
        return keys.of(rowKey);
    }

    /** {@code update} on the row of {@code rowKey}, with the calls' timeouts. */
    UpdateItemRequest request(ConditionalUpdate update, String rowKey, ReturnValue returnValues) {
        return withTimeouts(update.toRequest(tableName, keys.of(rowKey), returnValues));
    }

    /** A request built elsewhere ({@link HeartbeatRows}), with the calls' timeouts. */
    UpdateItemRequest withTimeouts(UpdateItemRequest.Builder request) {
        return request.overrideConfiguration(calls.requestOverrides()).build();
    }

    /** One UpdateItem, retried by the calls' rules. */
    UpdateItemResponse update(CheckpointOperation operation, @Nullable String shardId, UpdateItemRequest request) {
        return calls.execute(operation, shardId, () -> client.updateItem(request));
    }

    /** One UpdateItem, retried by the calls' rules, given up with nothing more sent at {@code deadlineNanos}. */
    UpdateItemResponse updateBefore(long deadlineNanos, CheckpointOperation operation, @Nullable String shardId,
            UpdateItemRequest request) {
        return calls.executeBefore(deadlineNanos, operation, shardId,
                overrides -> client.updateItem(overrides == calls.requestOverrides() ? request
                        : request.toBuilder().overrideConfiguration(overrides).build()));
    }

    /** Any other call, retried by the calls' rules. */
    <T> T execute(CheckpointOperation operation, @Nullable String shardId, Supplier<T> call) {
        return calls.execute(operation, shardId, call);
    }
}
