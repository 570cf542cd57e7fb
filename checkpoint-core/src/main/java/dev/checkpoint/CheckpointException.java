package dev.checkpoint;

import org.jspecify.annotations.Nullable;

/** Base of every exception this library throws. Unchecked. */
public class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String shardId;

    public CheckpointException(@Nullable String shardId, String message) {
        this(shardId, message, null);
    }

    public CheckpointException(@Nullable String shardId, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.shardId = shardId;
    }

    /** The shard the failed operation was about, or {@code null} when it was about the whole table. */
    public @Nullable String getShardId() {
        return shardId;
    }
}
