package dev.checkpoint.dynamodb;

import static dev.checkpoint.CheckpointConstants.CHECKPOINT_SUB_SEQUENCE_KEY;
import static dev.checkpoint.CheckpointConstants.CLAIM_REQUEST_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_COUNTER_KEY;
import static dev.checkpoint.CheckpointConstants.HANDED_OVER_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_OWNER_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_TIMEOUT_KEY;
import static dev.checkpoint.CheckpointConstants.OWNER_EPOCH_KEY;
import static dev.checkpoint.CheckpointConstants.PARENT_SHARD_ID_KEY;
import static dev.checkpoint.CheckpointConstants.SEQUENCE_NUMBER_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_KEY_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_ID_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_REQUESTED_AT_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_REQUESTED_BY_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_TO_KEY;
import static dev.checkpoint.CheckpointConstants.STARTING_POSITION_KEY;
import static dev.checkpoint.CheckpointConstants.STREAM_IDENTITY_KEY;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Collects the SET and REMOVE clauses and the ANDed conditions of one UpdateItem. Attribute names are always
 * written through the placeholders below, so no table attribute can clash with a reserved word.
 */
final class ConditionalUpdate {

    static final String OWNER = "#owner";
    static final String TIMEOUT = "#timeout";
    static final String COUNTER = "#counter";
    static final String CHECKPOINT = "#checkpoint";
    static final String SUB_SEQUENCE = "#subSequence";
    static final String PARENT = "#parent";
    static final String CLAIM = "#claim";
    static final String KEY = "#key";
    static final String RESET_TO = "#resetTo";
    static final String RESET_ID = "#resetId";
    static final String RESET_BY = "#resetBy";
    static final String RESET_AT = "#resetAt";
    static final String STARTING_POSITION = "#startingPosition";
    static final String STREAM_IDENTITY = "#stream";
    /** Not {@code #ownerEpoch}: {@link #toRequest} names a placeholder that the expression contains, and {@code #owner} would match. */
    static final String OWNER_EPOCH = "#processEpoch";
    static final String HANDED_OVER = "#handedOver";

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry(OWNER, LEASE_OWNER_KEY),
            Map.entry(TIMEOUT, LEASE_TIMEOUT_KEY),
            Map.entry(COUNTER, LEASE_COUNTER_KEY),
            Map.entry(CHECKPOINT, SEQUENCE_NUMBER_KEY),
            Map.entry(SUB_SEQUENCE, CHECKPOINT_SUB_SEQUENCE_KEY),
            Map.entry(PARENT, PARENT_SHARD_ID_KEY),
            Map.entry(CLAIM, CLAIM_REQUEST_KEY),
            Map.entry(KEY, LEASE_KEY_KEY),
            Map.entry(RESET_TO, RESET_TO_KEY),
            Map.entry(RESET_ID, RESET_ID_KEY),
            Map.entry(RESET_BY, RESET_REQUESTED_BY_KEY),
            Map.entry(RESET_AT, RESET_REQUESTED_AT_KEY),
            Map.entry(STARTING_POSITION, STARTING_POSITION_KEY),
            Map.entry(STREAM_IDENTITY, STREAM_IDENTITY_KEY),
            Map.entry(OWNER_EPOCH, OWNER_EPOCH_KEY),
            Map.entry(HANDED_OVER, HANDED_OVER_KEY));

    private final List<String> sets = new ArrayList<>();
    private final List<String> removes = new ArrayList<>();
    private final List<String> adds = new ArrayList<>();
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    ConditionalUpdate set(String clause) {
        sets.add(clause);
        return this;
    }

    ConditionalUpdate remove(String attribute) {
        removes.add(attribute);
        return this;
    }

    /** An {@code ADD} clause: a number added, or elements added to a set. */
    ConditionalUpdate add(String clause) {
        adds.add(clause);
        return this;
    }

    /** ANDs {@code condition} to the others; in parentheses only when it has an OR, to keep the expression short. */
    ConditionalUpdate condition(String condition) {
        conditions.add(condition.contains(" OR ") ? "(" + condition + ")" : condition);
        return this;
    }

    ConditionalUpdate value(String placeholder, AttributeValue value) {
        values.put(placeholder, value);
        return this;
    }

    UpdateItemRequest.Builder toRequest(String tableName, Map<String, AttributeValue> key, ReturnValue returnValues) {
        StringBuilder update = new StringBuilder();
        if (!sets.isEmpty()) {
            update.append("SET ").append(String.join(", ", sets));
        }
        if (!removes.isEmpty()) {
            update.append(update.isEmpty() ? "" : " ").append("REMOVE ").append(String.join(", ", removes));
        }
        if (!adds.isEmpty()) {
            update.append(update.isEmpty() ? "" : " ").append("ADD ").append(String.join(", ", adds));
        }
        String expression = update.toString();
        String condition = String.join(" AND ", conditions);
        Map<String, String> names = new HashMap<>();
        NAMES.forEach((placeholder, name) -> {
            if (expression.contains(placeholder) || condition.contains(placeholder)) {
                names.put(placeholder, name);
            }
        });
        UpdateItemRequest.Builder request = UpdateItemRequest.builder()
                .tableName(tableName)
                .key(key)
                .updateExpression(expression)
                .expressionAttributeNames(names);
        if (returnValues != ReturnValue.NONE) {
            request.returnValues(returnValues);   // NONE is DynamoDB's default: not sent
        }
        if (!conditions.isEmpty()) {
            request.conditionExpression(condition);
        }
        if (!values.isEmpty()) {
            request.expressionAttributeValues(values);
        }
        return request;
    }
}
