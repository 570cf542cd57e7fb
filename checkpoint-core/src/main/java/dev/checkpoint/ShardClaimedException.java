package dev.checkpoint;

/**
 * Another worker has a pending claim on the shard: lease stealing asks the owner to hand it over, and only
 * the claimant may take it. The message is the Go library's.
 */
public class ShardClaimedException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    private final String claimant;

    public ShardClaimedException(String shardId, String claimant) {
        super(shardId, CheckpointConstants.ERR_SHARD_CLAIMED + " (shard " + shardId + ", claimed by " + claimant + ")");
        this.claimant = claimant;
    }

    /** The worker that placed the claim. */
    public String getClaimant() {
        return claimant;
    }
}
