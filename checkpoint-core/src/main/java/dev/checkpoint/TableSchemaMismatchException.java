package dev.checkpoint;

import java.util.List;

/** The lease table exists but its key schema is not the expected one: hash key {@code ShardID} of type S. */
public class TableSchemaMismatchException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    private final String tableName;

    public TableSchemaMismatchException(String tableName, String actualKey) {
        this(tableName, actualKey, List.of());
    }

    /** @param differences each way the table differs from what a lease table needs, in words */
    public TableSchemaMismatchException(String tableName, String actualKey, List<String> differences) {
        super(null, "lease table '" + tableName + "' has key " + actualKey
                + " but a lease table needs exactly one hash key ShardID of type S (string)"
                + (differences.isEmpty() ? "" : " (" + String.join("; ", differences) + ")")
                + "; point checkpoint at another table or recreate this one");
        this.tableName = tableName;
    }

    public String getTableName() {
        return tableName;
    }
}
