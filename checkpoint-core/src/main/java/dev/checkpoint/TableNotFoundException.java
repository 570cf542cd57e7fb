package dev.checkpoint;

/** The lease table does not exist and table creation is switched off. */
public class TableNotFoundException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    private final String tableName;

    public TableNotFoundException(String tableName) {
        super(null, "lease table '" + tableName + "' does not exist and table creation is switched off;"
                + " create the table (hash key ShardID, type S) or enable table creation");
        this.tableName = tableName;
    }

    public String getTableName() {
        return tableName;
    }
}
