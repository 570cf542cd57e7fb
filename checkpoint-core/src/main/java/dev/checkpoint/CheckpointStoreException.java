package dev.checkpoint;

/** DynamoDB failed, after the configured retries where the failure was transient. The cause is attached. */
public class CheckpointStoreException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public CheckpointStoreException(String shardId, String message, Throwable cause) {
        super(shardId, message, cause);
    }
}
