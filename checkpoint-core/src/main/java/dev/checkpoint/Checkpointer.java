package dev.checkpoint;

import java.util.List;
import java.util.Map;

/**
 * Leases and checkpoints for the shards of a stream, shared by any number of worker processes.
 *
 * <p>Each shard has one row. A worker processes a shard only while it holds the shard's lease, renews the
 * lease well within the lease duration, and records its progress with {@link #checkpointSequence}. All
 * writes are conditional, so a worker that lost its lease cannot write the row again (fencing).
 *
 * <p>Every method throws {@link CheckpointStoreException} when DynamoDB fails after the configured retries.
 * Losing a race is reported with the specific exceptions named on each method.
 */
public interface Checkpointer {

    /** See {@link CheckpointConstants#SHARD_END}. */
    String SHARD_END = CheckpointConstants.SHARD_END;

    /** See {@link CheckpointConstants#NUM_MAX_RETRIES}. */
    int NUM_MAX_RETRIES = CheckpointConstants.NUM_MAX_RETRIES;

    /**
     * Creates the table if it is missing and creation is enabled, checks its key schema, and waits until
     * it is ACTIVE. Safe to call from many workers at once.
     *
     * @throws TableNotFoundException when the table is missing and creation is switched off
     * @throws TableSchemaMismatchException when the table's key is not {@code ShardID} (string)
     */
    void init();

    /**
     * Takes the shard's lease for {@code newAssignTo}, or renews it when that worker already holds it.
     * On success the shard's owner, lease timeout and counter are updated.
     *
     * @throws LeaseNotAcquiredException when another worker holds an unexpired lease, or won the race
     * @throws ShardClaimedException when lease stealing is enabled and another worker has a pending claim
     */
    void getLease(ShardStatus shard, String newAssignTo);

    /**
     * Records {@code shard.getCheckpoint()}. The write succeeds only while this worker still holds the lease
     * it last took or renewed, and it changes nothing but the checkpoint.
     *
     * @throws LeaseLostException when this worker no longer holds the lease
     */
    void checkpointSequence(ShardStatus shard);

    /**
     * Reads the shard's row, consistently, into {@code shard}: checkpoint, owner, lease timeout, counter,
     * claim and parent.
     *
     * @throws SequenceIdNotFoundException when the row or its checkpoint does not exist
     */
    void fetchCheckpoint(ShardStatus shard);

    /** Deletes the shard's row, for a shard that no longer exists. */
    void removeLeaseInfo(String shardId);

    /**
     * Releases the lease so that another worker can take it at once; only when this worker owns it.
     *
     * @throws LeaseLostException when this worker does not own the lease
     */
    void removeLeaseOwner(String shardId);

    /**
     * Reads the owner of the shard's lease.
     *
     * @throws NoLeaseOwnerException when the shard has no row or no owner
     */
    String getLeaseOwner(String shardId);

    /**
     * Reads the table and groups the given shards by owner, updating each {@code ShardStatus} from its
     * row. Shards checkpointed at {@link #SHARD_END} are left out.
     *
     * @throws ShardNotAssignedException when an unfinished shard has no owner
     */
    Map<String, List<ShardStatus>> listActiveWorkers(Map<String, ShardStatus> shards);

    /**
     * Asks the shard's owner to hand the shard over to {@code claimId}. The claim is written only when no
     * other claim is pending and the owner is still {@code shard.getLeaseOwner()}; it changes neither the
     * owner nor the checkpoint. The owner's next renewal fails with {@link ShardClaimedException}; once the
     * owner releases, only the claimant may take the lease, until the claim times out.
     *
     * @throws ShardClaimedException when another claim is pending
     * @throws LeaseNotAcquiredException when the owner changed since {@code shard} was read
     */
    void claimShard(ShardStatus shard, String claimId);

    /**
     * Every row of the table, read consistently with a paginated scan. Malformed rows are skipped with a
     * warning.
     */
    List<Lease> listLeases();

    /**
     * The same table and worker as a {@link LeaseStore}, for the {@code LeaseCoordinator}: take and renew as
     * separate operations, and expiry as this worker observed it. It shares this checkpointer's observations.
     *
     * @throws UnsupportedOperationException when this implementation has none
     */
    default LeaseStore leaseStore() {
        throw new UnsupportedOperationException(getClass().getName() + " offers no LeaseStore");
    }
}
