package dev.checkpoint.dynamodb;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.PendingReset;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import org.jspecify.annotations.Nullable;

/**
 * Takes: free, expired as observed, or still this worker's; and the seed's take-or-renew, built on a take and a
 * renewal. A take reads the row back, so that the new holder starts from the checkpoint really stored.
 */
final class TakeWrites extends ProtocolPart {

    private final RenewalWrites renewals;

    TakeWrites(ProtocolPart shared, RenewalWrites renewals) {
        super(shared);
        this.renewals = renewals;
    }

    /**
     * The seed's take-or-renew, built on {@link RenewalWrites#renew} and {@link #take}: a lease that {@code newOwner} holds as
     * {@code shard} says (same owner and counter as this worker last saw) is renewed; anything else is taken, when it
     * may be, as the Go library's {@code GetLease} did. In worker renewal mode, where leases are not renewed, it is
     * always a take.
     */
    void getLease(ShardStatus shard, String newOwner) {
        namesOfThisWorker.add(newOwner);
        Observation seen = observations.get(shard.getId());
        if (heartbeats == null && holdsAsSeen(shard, newOwner, seen)) {
            try {
                renewals.renew(shard, observations.now() + leaseDuration.toNanos());
                return;
            }
            catch (LeaseNotAcquiredException noLongerOurs) {
                // the row moved on: it may still be taken, as the seed's GetLease would
            }
        }
        take(shard, newOwner);
    }

    /** Whether {@code shard} holds the lease as this worker last took or renewed it. */
    private static boolean holdsAsSeen(ShardStatus shard, String owner, Observation seen) {
        return seen != null && seen.lease().isOwnedBy(owner) && seen.lease().leaseCounter() > 0
                && owner.equals(shard.getLeaseOwner()) && Long.valueOf(seen.lease().leaseCounter()).equals(shard.getLeaseCounter());
    }

    /**
     * Takes the lease for {@code newOwner}: free, expired as observed, or already {@code newOwner}'s; and while
     * another worker's claim stands, only for the claimant. Fills {@code shard} from the row as written.
     */
    void take(ShardStatus shard, String newOwner) {
        ownWrites.lock(shard.getId());
        try {
            takeLocked(shard, newOwner);
        }
        finally {
            ownWrites.unlock(shard.getId());
        }
    }

    private void takeLocked(ShardStatus shard, String newOwner) {
        String shardId = shard.getId();
        namesOfThisWorker.add(newOwner);
        Observation seen = observations.get(shardId);
        if (seen != null && refusal(seen, newOwner) != null) {
            // A refusal judged on what may be an old view: look at the row again before refusing.
            seen = reader.read(shardId);
            RuntimeException refused = seen == null ? null : refusal(seen, newOwner);
            if (refused != null) {
                throw refused;
            }
        }
        // A shard never seen is tried as free (or new) in one write; the re-read after a refusal tells the rest.
        takeAsSeen(shard, newOwner, seen, seen == null, 1);
    }

    /**
     * One take of the lease as seen ({@code null}: never seen, tried as free or new). The row is read back, so that
     * the caller starts from the checkpoint really stored. {@code optimistic}: a refusal of a shard never seen is
     * judged again on the row as re-read, and taken when it may be after all. A take never leaves a reset standing: one
     * written since the row was seen, which the take finds on the row or which made it fail, is applied by taking the
     * lease again, up to {@link #OWN_RACE_ATTEMPTS} times.
     */
    private void takeAsSeen(ShardStatus shard, String newOwner, @Nullable Observation seen, boolean optimistic,
            int attempt) {
        String shardId = shard.getId();
        Lease lease = seen == null ? null : seen.lease();
        // A row that still names this worker is taken back: reported as a renewal, as the seed's getLease did.
        boolean renewal = lease != null && lease.isOwnedBy(newOwner);
        CheckpointOperation operation = renewal ? CheckpointOperation.RENEW_LEASE : CheckpointOperation.TAKE_LEASE;
        String epoch = null;
        if (heartbeats != null) {
            epoch = heartbeats.epoch();
            if (epoch == null) {
                throw new LeaseNotAcquiredException(shardId, workerId + " is not registered: it takes no lease");
            }
            if (seen != null) {
                heartbeats.expireIfSilent(seen);   // an owner whose heartbeat stood still is marked dead first
            }
        }
        Instant timeout = epoch == null ? clock.instant().plus(leaseDuration) : null;
        ConditionalUpdate take = LeaseConditions.take(seen, newOwner, shard.getParentShardId(), timeout, leaseStealing,
                claimExpired(seen));
        if (epoch != null) {
            LeaseConditions.ownedByProcess(take, epoch);
        }
        String stream = streamIdentity.get();
        if (stream != null) {
            take.set(ConditionalUpdate.STREAM_IDENTITY + " = :stream").value(":stream", LeaseSerializer.string(stream));
        }
        UpdateItemRequest request = take.toRequest(tableName, keys.of(shardId), ReturnValue.ALL_NEW)
                .overrideConfiguration(calls.requestOverrides()).build();
        long sentAt = observations.now();
        try {
            Map<String, AttributeValue> item = calls.execute(operation, shardId, () -> client.updateItem(request)).attributes();
            Lease taken = LeaseSerializer.toLease(item);
            succeeded(shard, taken, LeaseSerializer.timeoutText(item), sentAt, lease, epoch);
            if (heartbeats != null) {
                heartbeats.taken(shardId);
            }
            if (lease != null && lease.pendingReset() != null) {
                resetApplied(taken, lease.pendingReset());
            }
            if (taken.pendingReset() != null && attempt < OWN_RACE_ATTEMPTS) {
                takeAsSeen(shard, newOwner, observations.get(shardId), false, attempt + 1);   // written since it was seen
            }
        }
        catch (CheckpointStoreException failure) {
            ages.renewalFailed();
            throw failure;
        }
        catch (ConditionalCheckFailedException lostRace) {
            Observation reread = reader.read(shardId);
            Lease current = reread == null ? null : reread.lease();
            Long expectedCounter = lease == null ? null : lease.leaseCounter() + 1;
            boolean ourWriteLanded = current != null && current.isOwnedBy(newOwner)
                    && (expectedCounter != null ? current.leaseCounter() == expectedCounter
                            : epoch != null ? epoch.equals(reread.ownerEpoch()) : timeout.equals(current.leaseTimeout()));
            if (ourWriteLanded) {
                succeeded(shard, current, reread.timeoutText(), sentAt, lease, epoch);
                return;
            }
            if (renewal) {
                listener.leaseLost(shardId);
            }
            if (current != null) {
                shard.update(current);
                RuntimeException refused = refusal(reread, newOwner);
                boolean resetMoved = !Objects.equals(resetId(lease), resetId(current));
                if (refused == null && (optimistic || (resetMoved && attempt < OWN_RACE_ATTEMPTS))) {
                    // Not free after all, but may be taken as now seen (it is ours, say); or a reset came or changed.
                    takeAsSeen(shard, newOwner, reread, false, attempt + 1);
                    return;
                }
                if (refused instanceof ShardClaimedException) {
                    throw refused;
                }
            }
            throw new LeaseNotAcquiredException(shardId, "could not " + operation.description() + " on shard " + shardId
                    + " for " + newOwner + ": " + (current == null ? "the row was deleted" : "it is now held by "
                            + current.owner() + " (counter " + current.leaseCounter() + ")"));
        }
    }

    private void resetApplied(Lease taken, PendingReset reset) {
        ResetAudit.applied(workerId, taken.shardId(), reset);
        listener.resetApplied(taken.shardId(), reset);
    }

    private static @Nullable String resetId(@Nullable Lease lease) {
        return lease == null || lease.pendingReset() == null ? null : lease.pendingReset().id();
    }
}
