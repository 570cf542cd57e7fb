package dev.checkpoint.dynamodb;

import static dev.checkpoint.CheckpointConstants.LEASE_KEY_KEY;
import static dev.checkpoint.CheckpointConstants.STREAM_IDENTITY_KEY;

import java.util.HashMap;
import java.util.Map;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.StreamIdentityMismatchException;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Which stream a consumer group of a shared table consumes: recorded on the group's own row (range key
 * {@link LeaseKeys#GROUP_ROW}) by its first worker, checked by every later one. Two applications that chose one group
 * name, or a stream deleted and created again under its name, are told apart before anything is written.
 */
final class StreamBinding {

    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final String tableName;
    private final LeaseKeys keys;

    StreamBinding(DynamoDbClient client, DynamoDbCalls calls, String tableName, LeaseKeys keys) {
        this.client = client;
        this.calls = calls;
        this.tableName = tableName;
        this.keys = keys;
    }

    /**
     * Binds the group to {@code identity}, or checks that it is bound to it: one read, and one conditional write the
     * first time.
     *
     * @throws StreamIdentityMismatchException when the group is bound to another stream; nothing is written
     */
    void bind(String identity) {
        String bound = read();
        if (bound == null) {
            Map<String, AttributeValue> item = new HashMap<>(keys.of(LeaseKeys.GROUP_ROW));
            item.put(STREAM_IDENTITY_KEY, LeaseSerializer.string(identity));
            PutItemRequest request = PutItemRequest.builder().tableName(tableName).item(item)
                    .conditionExpression("attribute_not_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", LEASE_KEY_KEY))
                    .overrideConfiguration(calls.requestOverrides()).build();
            try {
                calls.execute(CheckpointOperation.BIND_STREAM, null, () -> client.putItem(request));
                return;
            }
            catch (ConditionalCheckFailedException boundMeanwhile) {
                bound = read();   // another worker of the group bound it first: to the same stream?
            }
        }
        if (bound != null && !bound.equals(identity)) {
            throw new StreamIdentityMismatchException(tableName, keys.group(), bound, identity);
        }
    }

    private @Nullable String read() {
        GetItemRequest request = GetItemRequest.builder().tableName(tableName).key(keys.of(LeaseKeys.GROUP_ROW))
                .consistentRead(true).overrideConfiguration(calls.requestOverrides()).build();
        Map<String, AttributeValue> item = calls.execute(CheckpointOperation.READ_LEASE, null, () -> client.getItem(request)).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        AttributeValue identity = item.get(STREAM_IDENTITY_KEY);
        return identity == null ? null : identity.s();
    }
}
