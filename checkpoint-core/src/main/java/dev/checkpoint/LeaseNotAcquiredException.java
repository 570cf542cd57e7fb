package dev.checkpoint;

/** The lease could not be taken or renewed: another worker holds it, or won the race for it. */
public class LeaseNotAcquiredException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public LeaseNotAcquiredException(String shardId, String message) {
        super(shardId, message);
    }
}
