package dev.checkpoint;

/** The shard has no row, or its row has no checkpoint. */
public class SequenceIdNotFoundException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public SequenceIdNotFoundException(String shardId) {
        super(shardId, "no checkpoint stored for shard " + shardId);
    }
}
