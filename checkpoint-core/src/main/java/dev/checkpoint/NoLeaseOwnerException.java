package dev.checkpoint;

/** The shard has no row, or nobody owns its lease. */
public class NoLeaseOwnerException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public NoLeaseOwnerException(String shardId) {
        super(shardId, "no lease owner for shard " + shardId + " in the checkpoint table");
    }
}
