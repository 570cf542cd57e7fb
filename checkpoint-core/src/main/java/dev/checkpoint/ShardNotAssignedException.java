package dev.checkpoint;

/** An unfinished shard has no owner. */
public class ShardNotAssignedException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public ShardNotAssignedException(String shardId) {
        super(shardId, "shard " + shardId + " is not assigned to any worker");
    }
}
