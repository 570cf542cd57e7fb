package dev.checkpoint.dynamodb;

import static dev.checkpoint.CheckpointConstants.CONSUMER_GROUP_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_KEY_KEY;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import org.jspecify.annotations.Nullable;

/**
 * The layout of the lease table's keys. The Go library's, the default: one consumer group per table, the hash key
 * {@code ShardID}. Or a table shared by consumer groups: the hash key {@code ConsumerGroup}, the range key
 * {@code ShardID}, so that a group reads its own rows with a Query, and an IAM policy can keep an application to its
 * group's rows ({@code dynamodb:LeadingKeys}).
 */
final class LeaseKeys {

    /** The range key of a group's own row, which records the stream it consumes; no shard has this id. */
    static final String GROUP_ROW = "#group";

    private final @Nullable String group;

    private LeaseKeys(@Nullable String group) {
        this.group = group;
    }

    /** The Go library's layout: one group, {@code ShardID} alone. */
    static LeaseKeys single() {
        return new LeaseKeys(null);
    }

    /** A table shared among consumer groups, for the rows of {@code group}. */
    static LeaseKeys shared(String group) {
        return new LeaseKeys(Objects.requireNonNull(group, "group"));
    }

    /** This worker's consumer group, or {@code null} in the Go library's layout. */
    @Nullable String group() {
        return group;
    }

    boolean isShared() {
        return group != null;
    }

    /** The key of the shard's row. */
    Map<String, AttributeValue> of(String shardId) {
        return group == null ? Map.of(LEASE_KEY_KEY, LeaseSerializer.string(shardId))
                : Map.of(CONSUMER_GROUP_KEY, LeaseSerializer.string(group), LEASE_KEY_KEY, LeaseSerializer.string(shardId));
    }

    /** The key schema a table of this layout is created with. */
    List<KeySchemaElement> schema() {
        List<KeySchemaElement> schema = new ArrayList<>();
        if (group != null) {
            schema.add(KeySchemaElement.builder().attributeName(CONSUMER_GROUP_KEY).keyType(KeyType.HASH).build());
        }
        schema.add(KeySchemaElement.builder().attributeName(LEASE_KEY_KEY)
                .keyType(group == null ? KeyType.HASH : KeyType.RANGE).build());
        return schema;
    }

    List<AttributeDefinition> definitions() {
        return schema().stream().map(element -> AttributeDefinition.builder().attributeName(element.attributeName())
                .attributeType(ScalarAttributeType.S).build()).toList();
    }

    /** Every way the table's key differs from this layout's, in words: what a validating start-up reports. */
    List<String> differences(TableDescription table) {
        List<String> differences = new ArrayList<>();
        String hash = group == null ? LEASE_KEY_KEY : CONSUMER_GROUP_KEY;
        String range = group == null ? null : LEASE_KEY_KEY;
        String actualHash = keyOf(table, KeyType.HASH);
        String actualRange = keyOf(table, KeyType.RANGE);
        if (actualHash == null) {
            differences.add("it has no hash key");
        }
        else if (!hash.equals(actualHash)) {
            differences.add("its hash key is " + actualHash + ", not " + hash
                    + (group == null && CONSUMER_GROUP_KEY.equals(actualHash)
                            ? " (it is a table shared by consumer groups: set the consumer group)" : "")
                    + (group != null && LEASE_KEY_KEY.equals(actualHash)
                            ? " (it is a table of one consumer group, the Go library's layout)" : ""));
        }
        if (range == null && actualRange != null) {
            differences.add("it has a range key, " + actualRange + ", and a lease table of one group has none");
        }
        else if (range != null && !range.equals(actualRange)) {
            differences.add(actualRange == null ? "it has no range key; a shared lease table's is " + range
                    : "its range key is " + actualRange + ", not " + range);
        }
        for (KeySchemaElement element : schema()) {
            String type = typeOf(table, element.attributeName());
            if (element.attributeName().equals(keyOf(table, element.keyType())) && !"S".equals(type)) {
                differences.add(element.attributeName() + " is of type " + type + ", not S (string)");
            }
        }
        return differences;
    }

    private static @Nullable String keyOf(TableDescription table, KeyType type) {
        return table.keySchema().stream().filter(element -> element.keyType() == type)
                .map(KeySchemaElement::attributeName).findFirst().orElse(null);
    }

    static String typeOf(TableDescription table, String attribute) {
        return table.attributeDefinitions().stream()
                .filter(definition -> Objects.equals(definition.attributeName(), attribute))
                .map(AttributeDefinition::attributeTypeAsString)
                .findFirst().orElse("?");
    }

    @Override
    public String toString() {
        return group == null ? "one group (ShardID)" : "group " + group + " (ConsumerGroup, ShardID)";
    }
}
