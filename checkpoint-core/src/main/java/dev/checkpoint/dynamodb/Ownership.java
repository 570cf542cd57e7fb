package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.checkpoint.KeepAlive;
import dev.checkpoint.Lease;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * How ownership of a lease is kept alive and judged, chosen once by the renewal mode: per lease
 * ({@link PerLeaseOwnership}: each lease row carries a timeout and is renewed), or per worker
 * ({@link WorkerOwnership}: a lease row names its owner's process, kept alive by that process's heartbeat). The
 * protocol's writes ask it what differs, and never branch on the mode themselves.
 */
sealed interface Ownership permits PerLeaseOwnership, WorkerOwnership {

    RenewalMode mode();

    /** The mode's operations, for the worker loop. */
    KeepAlive keepAlive();

    /** Why {@code newOwner} may not take the lease as seen by this mode's own rules, or {@code null}. */
    @Nullable RuntimeException refusal(Observation seen, String newOwner);

    /** Whether the lease seen, naming this worker, is this process's own (a name may be a restarted process's). */
    boolean isThisProcess(Observation seen);

    /**
     * The seed's take-or-renew of a lease {@code newOwner} holds as {@code shard} says: renewed, when this mode renews
     * leases one by one.
     *
     * @return whether it was renewed; when not, the caller takes it
     */
    boolean renewIfHeldAsSeen(ShardStatus shard, String newOwner, @Nullable Observation seen);

    /**
     * What a take writes to keep the lease alive: a timeout, or this process's epoch.
     *
     * @throws dev.checkpoint.LeaseNotAcquiredException when the take may not go on (worker mode: this process is not
     *         registered, or the owner's heartbeat is alive)
     */
    TakeStamp stampTake(String shardId, @Nullable Observation seen);

    /** A take of ours landed. */
    void taken(String shardId);

    /** The worker to write as claimant on this worker's release of the shard ({@code null}: none). */
    @Nullable String handOffTo(String shardId);

    /**
     * Refuses a release that this mode does not allow: in worker mode, of a lease not held by this process as seen.
     *
     * @throws dev.checkpoint.LeaseLostException when refused
     */
    void checkRelease(String shardId, @Nullable Observation seen, boolean knownOwn);

    /** This mode's addition to a release of ours, {@code claimant} the worker it is handed to. */
    void stampRelease(ConditionalUpdate release, @Nullable String claimant);

    /** This worker changed which leases it holds, or which rows there are. */
    void leasesChanged();

    /**
     * Asks the owner of the lease seen to hand it over, when this mode has a way of its own (worker mode: the owner's
     * heartbeat mailbox).
     *
     * @return whether the claim was made; when not, the caller writes it on the lease row
     */
    boolean claimFromOwner(@Nullable Observation seen, @Nullable String expectedOwner, String claimant);

    /** Takes back a claim made by {@link #claimFromOwner}, where it still stands. */
    void withdrawClaimFromOwner(String shardId, String owner, String claimant);

    /** The note that tells {@code successor} a shard was released for it. */
    UpdateItemRequest handOverNote(String shardId, String successor, String successorsLease);

    /** An operator reset a free lease: make sure the workers look at it. */
    void freeLeaseReset();

    /** The table's rows for a sync. */
    List<Lease> readForSync();

    /**
     * How long the lease seen has shown no sign of life: its row (per lease), or its owner's heartbeat (worker mode;
     * {@code null} when that was never seen).
     */
    @Nullable Duration unchangedFor(Observation seen);

    /** Checks the table's mode, and in worker mode registers this process. */
    void register();

    /**
     * What a take writes to keep the lease alive, and how its landing is recognised when its answer was lost.
     *
     * @param timeout per-lease mode: the new {@code LeaseTimeout}
     * @param epoch worker mode: this process's epoch
     */
    record TakeStamp(@Nullable Instant timeout, @Nullable String epoch) {

        /** Whether the row as re-read carries this stamp: a take of ours that landed. */
        boolean isOn(Observation reread) {
            return epoch != null ? epoch.equals(reread.ownerEpoch())
                    : timeout != null && timeout.equals(reread.lease().leaseTimeout());
        }

        void writeOn(ConditionalUpdate take) {
            if (epoch != null) {
                LeaseConditions.ownedByProcess(take, epoch);
            }
        }
    }
}
