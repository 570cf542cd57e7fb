package dev.checkpoint.dynamodb;

import static dev.checkpoint.CheckpointConstants.STREAM_IDENTITY_KEY;

import java.util.HashMap;
import java.util.Map;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.StreamIdentityMismatchException;
import org.jspecify.annotations.Nullable;
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

    private final TableClient table;

    StreamBinding(TableClient table) {
        this.table = table;
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
            Map<String, AttributeValue> item = new HashMap<>(table.key(LeaseKeys.GROUP_ROW));
            item.put(STREAM_IDENTITY_KEY, LeaseSerializer.string(identity));
            PutItemRequest request = LeaseConditions.createIfMissing(table.tableName, item)
                    .overrideConfiguration(table.calls.requestOverrides()).build();
            try {
                table.execute(CheckpointOperation.BIND_STREAM, null, () -> table.client.putItem(request));
                return;
            }
            catch (ConditionalCheckFailedException boundMeanwhile) {
                bound = read();   // another worker of the group bound it first: to the same stream?
            }
        }
        if (bound != null && !bound.equals(identity)) {
            throw new StreamIdentityMismatchException(table.tableName, table.keys.group(), bound, identity);
        }
    }

    private @Nullable String read() {
        GetItemRequest request = GetItemRequest.builder().tableName(table.tableName).key(table.key(LeaseKeys.GROUP_ROW))
                .consistentRead(true).overrideConfiguration(table.calls.requestOverrides()).build();
        Map<String, AttributeValue> item = table.execute(CheckpointOperation.READ_LEASE, null,
                () -> table.client.getItem(request)).item();
        if (item == null || item.isEmpty()) {
            return null;
        }
        AttributeValue identity = item.get(STREAM_IDENTITY_KEY);
        return identity == null ? null : identity.s();
    }
}
