package dev.checkpoint;

/** This worker no longer holds the lease, so its write was refused (fencing). */
public class LeaseLostException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public LeaseLostException(String shardId, String message) {
        super(shardId, message);
    }
}
