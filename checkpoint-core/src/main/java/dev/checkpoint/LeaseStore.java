package dev.checkpoint;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a worker loop (the {@code LeaseCoordinator}) needs from the lease table: each operation distinct, and each one
 * conditional write, fenced by {@code LeaseCounter}. Take and renew are different operations: a renewal fails once
 * the row is no longer this worker's, and never turns into a take. The model is the Java KCL's split of
 * {@code LeaseRefresher} and {@code LeaseRenewer}.
 *
 * <p>Implementations: the DynamoDB one ({@code DynamoDbCheckpointer.leaseStore()}), and an in-memory one in the
 * test support, held to the same contract tests.
 */
public interface LeaseStore extends LeaseTableView {

    /** How long a claim may stand untaken before everybody ignores it. */
    Duration claimTimeout();

    /** Whether claims are honoured (lease stealing). */
    boolean isLeaseStealing();

    /** The clock by which this worker judges expiry, and by which deadlines are given. */
    MonotonicClock monotonicClock();

    /** Creates the shard's row, without owner, unless it exists, so that a new shard is listed before anybody takes it. */
    void createIfMissing(String shardId, String parentShardId);

    /**
     * Takes the lease for this worker: one that is free, expired as this worker observed it, or still this worker's;
     * and while another worker's claim stands, only if this worker is the claimant.
     *
     * @param parentShardId the shard's parent, recorded on the row when given ({@code null}: none, or as recorded)
     * @return the lease as written, its checkpoint included: where processing starts
     * @throws LeaseNotAcquiredException when the lease is held by another worker, or was taken first
     * @throws ShardClaimedException when another worker's claim stands
     */
    Lease take(String shardId, @Nullable String parentShardId);

    /**
     * How this worker keeps its leases alive, by its renewal mode: renewals of each lease, or a heartbeat of the worker.
     * The same object every time.
     */
    KeepAlive keepAlive();

    /** How this worker keeps its leases alive: by renewing each, or by its heartbeat. */
    default RenewalMode renewalMode() {
        return keepAlive().mode();
    }
    /**
     * Writes the checkpoint {@code sequenceNumber} (and {@code subSequenceNumber}, for a record of a KPL aggregate), on
     * condition that this worker still holds the lease as it last took or renewed it, and that the stored checkpoint is
     * the one it last saw or wrote. Gives up once {@code timeLeft} has passed, as a renewal does: a checkpoint holds the
     * row's write lock that this worker's renewals wait on, so one that hangs must not outlast the lease.
     *
     * @throws LeaseLostException when the lease is no longer this worker's; the checkpoint is not stored
     * @throws ShardResetException when a reset stands on the shard; the checkpoint is not stored
     * @throws CheckpointStoreException when DynamoDB did not answer within {@code timeLeft} and the retries; the
     *         checkpoint may or may not be stored
     */
    void checkpoint(String shardId, String sequenceNumber, @Nullable Long subSequenceNumber, Duration timeLeft);

    /**
     * Gives the lease up, on condition that this worker holds it, so that another worker takes it at once.
     *
     * @throws LeaseLostException when this worker does not hold it
     */
    void release(String shardId);

    /**
     * Asks {@code owner} to hand the shard to this worker: marks the row (or, in worker mode, the owner's mailbox) with
     * this worker's claim, on condition that the owner is still that worker and no other claim stands (or only an
     * expired one).
     *
     * @throws ShardClaimedException when another claim stands
     * @throws LeaseNotAcquiredException when the owner is not the one expected
     */
    void claim(String shardId, String owner);

    /**
     * Takes back this worker's claim on the shard, asked of {@code owner}: wherever it still stands (the owner's
     * mailbox, the row), it is removed, on condition that it is still this worker's; nothing is written elsewhere. A
     * worker that stops withdraws its pending claims, so that no claim outlives its claimant.
     *
     * @throws CheckpointStoreException when DynamoDB failed
     */
    void withdrawClaim(String shardId, String owner);

    /**
     * Tells {@code successor} that this worker, stopping, has released {@code shardId} for it to take at once: a
     * note that its next renewal of {@code successorsLease} (per-lease mode) or its next heartbeat (worker mode) brings
     * back.
     * Only a hint: the take is conditional as ever, and a note lost leaves the shard to the next sync.
     *
     * @param successorsLease a lease the successor holds, as last seen
     * @throws CheckpointStoreException when DynamoDB failed
     */
    void handOver(String shardId, String successor, String successorsLease);

    /**
     * Resets the shard's checkpoint to {@code to}, whoever holds the lease: writes the reset on the row, one request.
     * From then on the owner's renewals and checkpoints are refused with {@link ShardResetException}, so that it stops
     * and nothing it processed before is recorded after; the next take of the lease (the owner's, once it has stopped,
     * or any worker's, for a free or expired lease) applies it, and processing starts again from {@code to}. A reset
     * still pending is replaced.
     *
     * @param requestedBy who asks, for the audit trail
     * @return what the reset replaces, or {@code null} when the shard has no row
     */
    @Nullable ResetReceipt requestReset(String shardId, StartingPosition to, String requestedBy);

    /**
     * Binds this worker's consumer group to the stream it reads, {@code identity} (for Kinesis, its ARN and creation
     * time), the first time; after that, checks it. In the Go library's layout (one group per table), it does nothing.
     *
     * @throws StreamIdentityMismatchException when the group is bound to another stream; nothing is written
     */
    void bindStream(String identity);

    /**
     * The table's rows, for a sync: a {@link #scan()}; in worker renewal mode, when the heartbeats say that no worker
     * has changed which leases it holds since the last full scan, the rows as this worker last read and wrote them (a
     * read of the heartbeats only) and one page more of a rotating read.
     */
    List<Lease> scanForSync();

    /**
     * Registers this worker process before it takes anything. In worker renewal mode: writes its heartbeat row under a
     * new epoch (leases still naming this worker id under an older epoch are then its own to take back at once), and
     * marks the table as in worker mode the first time. In per-lease mode: checks that the table is not in worker mode.
     * After a {@link WorkerLostException}, registers again.
     *
     * @throws RenewalModeMismatchException when the table's workers renew the other way; nothing is written
     */
    void register();

    /**
     * Writes progress brought from another library's table as this group's checkpoint of the shard, with no owner:
     * the next worker to take the lease starts after it. One request, on condition that no worker of this group has
     * started on the shard, or has started since the caller looked.
     *
     * @param replacing {@code null}: written only on a row with no progress of this group's (none, or one that no
     *        worker took or checkpointed); else the row exactly as the caller read it and judged unheld, replaced only
     *        while it still has that owner and version (a worker that takes or renews it meanwhile makes the write fail,
     *        and the write moves the version, so that a stale owner's later checkpoints are refused)
     * @return whether it was written
     * @throws CheckpointStoreException when DynamoDB failed
     */
    boolean importCheckpoint(ImportedCheckpoint checkpoint, @Nullable Lease replacing);

    /** Deletes the shard's row, for a shard gone from the stream. */
    void remove(String shardId);
}
