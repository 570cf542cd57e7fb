package dev.checkpoint;

/** The DynamoDB requests a checkpointer makes, by what they are for. */
public enum CheckpointOperation {

    DESCRIBE_TABLE("describe table"),
    CREATE_TABLE("create table"),
    TAG_TABLE("tag table"),
    ENABLE_BACKUPS("enable point-in-time recovery"),
    READ_LEASE("read lease"),
    SCAN_LEASES("scan leases"),
    /** One page of worker renewal mode's rotating read of the table, beside the heartbeats (a quiet sync). */
    READ_LEASES_PAGE("read a page of leases"),
    TAKE_LEASE("take lease"),
    RENEW_LEASE("renew lease"),
    CHECKPOINT("checkpoint"),
    RELEASE_LEASE("release lease"),
    CLAIM_SHARD("claim shard"),
    RESET_SHARD("reset shard"),
    /** A checkpoint brought from another library's table (the Java KCL's, Spring Cloud AWS's). */
    IMPORT_CHECKPOINT("import checkpoint"),
    BIND_STREAM("bind group to stream"),
    CREATE_LEASE("create lease row"),
    HEARTBEAT("heartbeat"),
    READ_HEARTBEATS("read heartbeats"),
    REGISTER_WORKER("register worker"),
    EXPIRE_WORKER("expire worker"),
    DELETE_LEASE("delete lease row");

    private final String description;

    CheckpointOperation(String description) {
        this.description = description;
    }

    /** In words, for messages: "renew lease". */
    public String description() {
        return description;
    }

    /** For meter tags: "renew_lease". */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
