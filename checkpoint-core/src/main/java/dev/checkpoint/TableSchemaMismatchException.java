package dev.checkpoint;

/** The lease table exists but its key schema is not the expected one: hash key {@code ShardID} of type S. */
public class TableSchemaMismatchException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    private final String tableName;

    public TableSchemaMismatchException(String tableName, String actualKey) {
        super(null, "lease table '" + tableName + "' has key " + actualKey
                + " but a lease table needs exactly one hash key ShardID of type S (string);"
                + " point checkpoint at another table or recreate this one");
        this.tableName = tableName;
    }

    public String getTableName() {
        return tableName;
    }
}
