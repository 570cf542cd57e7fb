package dev.checkpoint.coordinator;

/**
 * What the application does with the shards this worker owns. Called on the coordinator's callback threads,
 * in order for each shard, never on the threads that renew leases: a slow callback delays only later callbacks
 * of the same shard. {@link OwnedShard#isHeld()} changes at once, before any callback is delivered.
 */
public interface LeaseListener {

    /**
     * This worker holds the shard's lease and its parents are finished: start processing from
     * {@link OwnedShard#checkpoint()} (or, without one, from {@link OwnedShard#startingPosition()} when an operator reset
     * the shard, else from the application's initial position), on a thread of your own, and return. If this throws,
     * nobody would process the shard: the lease is released, so that another worker takes it.
     */
    void leaseGained(OwnedShard shard);

    /**
     * The lease is ending in good order: this worker is stopping, another worker claimed the shard to balance
     * the load, or an operator asked for it. Stop processing, {@link OwnedShard#checkpoint(String) checkpoint} what was done, and return; the
     * lease is released when this returns, or when the shutdown grace period is over. For {@link EndReason#RESET},
     * stop without checkpointing: the shard starts again from the reset position.
     */
    void leaseEnding(OwnedShard shard, EndReason reason);

    /**
     * The lease is gone: another worker took it, or it could not be renewed in time. Another worker may already
     * be processing the shard, and checkpoints are refused. Stop at once.
     */
    void leaseLost(OwnedShard shard);

    /** Why a lease ends in good order. */
    enum EndReason {
        /** This worker is stopping. */
        SHUTDOWN,
        /** Another worker claimed the shard (lease stealing). */
        CLAIMED,
        /** Released on request: an operator's {@code DELETE /actuator/leases/{shardId}}, or {@link LeaseCoordinator#handOff}. */
        REQUESTED,
        /**
         * An operator reset the shard ({@link LeaseCoordinator#reset}): stop, and do not checkpoint, since checkpoints
         * are refused until the reset is applied. This worker then takes the lease again, which applies the reset, and
         * {@link #leaseGained} follows with a handle whose {@link OwnedShard#startingPosition()} is the reset's.
         */
        RESET
    }
}
