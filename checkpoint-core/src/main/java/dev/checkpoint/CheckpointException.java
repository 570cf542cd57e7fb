package dev.checkpoint;

/** Base of every exception this library throws. Unchecked. */
public class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String shardId;

    public CheckpointException(String shardId, String message) {
        this(shardId, message, null);
    }

    public CheckpointException(String shardId, String message, Throwable cause) {
        super(message, cause);
        this.shardId = shardId;
    }

    /** The shard the failed operation was about, or {@code null} when it was about the whole table. */
    public String getShardId() {
        return shardId;
    }
}
