package dev.checkpoint;

/**
 * A reset stands on the shard's row: this worker's renewal or checkpoint was refused, so that nothing processed before
 * the reset is recorded after it. Stop processing the shard; it starts again from the reset position once the reset is
 * applied. A kind of {@link LeaseLostException}, since the lease as held can no longer be written.
 */
public class ShardResetException extends LeaseLostException {

    private static final long serialVersionUID = 1L;

    private final transient PendingReset reset;

    public ShardResetException(String shardId, PendingReset reset) {
        super(shardId, "shard " + shardId + " is being reset to " + reset.to() + " (requested by " + reset.requestedBy()
                + " at " + reset.requestedAt() + ")");
        this.reset = reset;
    }

    /** The reset standing on the row. */
    public PendingReset getReset() {
        return reset;
    }
}
