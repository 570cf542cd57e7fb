package dev.checkpoint.memory;

import java.time.Duration;
import java.time.Instant;

import dev.checkpoint.KeepAlive;
import dev.checkpoint.Lease;
import dev.checkpoint.PendingReset;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link InMemoryLeaseStore} keeps leases alive and judges them, chosen once by the renewal mode, as the
 * DynamoDB store's {@code Ownership} is: per lease ({@link InMemoryRenewals}: each row carries a timeout and is
 * renewed), or per worker ({@link InMemoryHeartbeats}: a row names its owner's process, kept alive by that process's
 * heartbeat row). The store's writes ask it what differs, and never branch on the mode themselves.
 */
sealed interface InMemoryOwnership permits InMemoryRenewals, InMemoryHeartbeats {

    /** The mode's operations, for the worker loop. */
    KeepAlive keepAlive();

    /** Per lease: nothing to do (an in-memory table has no mode row). Worker mode: registers under a new epoch. */
    void register();

    /** Whether the lease, as this worker saw it, has run out by its own observation; a free lease never has. */
    boolean isExpired(SeenRow seen, long nowNanos);

    /** How long the lease seen has shown no sign of life: its row, or its owner's heartbeat; {@code null}: never seen. */
    @Nullable Duration unchangedFor(SeenRow seen, long nowNanos);

    /**
     * Before a take of the lease as seen ({@code null}: never seen). Worker mode: refuses when this process is not
     * registered, and marks an owner whose heartbeat stood still dead.
     *
     * @throws dev.checkpoint.LeaseNotAcquiredException when the take may not go on
     */
    void beforeTake(String shardId, @Nullable SeenRow seen);

    /** The {@code LeaseTimeout} a take writes ({@code null} in worker mode). */
    @Nullable Instant takeTimeout();

    /** The {@code OwnerEpoch} a take writes ({@code null} per lease). */
    @Nullable String takeEpoch();

    /** A take of ours landed. */
    void taken(String shardId);

    /**
     * Refuses a release this mode does not allow: in worker mode, of a lease not held by this process as seen.
     *
     * @throws dev.checkpoint.LeaseLostException when refused
     */
    void checkRelease(String shardId, @Nullable SeenRow seen, boolean knownOwn);

    /** The worker to write as claimant on this worker's release of the shard ({@code null}: none). */
    @Nullable String handOffTo(String shardId);

    /**
     * Asks the owner of the lease seen to hand it over, when this mode has a way of its own (worker mode: the owner's
     * heartbeat mailbox).
     *
     * @return whether the claim was made; when not, the store writes it on the row
     */
    boolean claimFromOwner(@Nullable SeenRow seen, String expectedOwner, String claimant);

    /** Takes back a claim made by {@link #claimFromOwner}, where it still stands. */
    void withdrawClaimFromOwner(String shardId, String owner, String claimant);

    /** Tells {@code successor} that {@code shardId} was released for it. */
    void handOver(String shardId, String successor, String successorsLease);

    /** An operator's reset was written on {@code row}: worker mode tells its owner's process. */
    void resetWritten(Lease row, PendingReset reset);

    /** A scan read every lease row: worker mode reads the heartbeat rows after them. */
    void scanned();
}
