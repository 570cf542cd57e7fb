package dev.checkpoint.dynamodb;

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
final class TakeWrites {

    private final TableClient table;
    private final OwnLeases own;
    private final LeaseReader reader;
    private final Ownership ownership;

    TakeWrites(TableClient table, OwnLeases own, LeaseReader reader, Ownership ownership) {
        this.table = table;
        this.own = own;
        this.reader = reader;
        this.ownership = ownership;
    }

    /**
     * The seed's take-or-renew: a lease that {@code newOwner} holds as {@code shard} says (same owner and counter as
     * this worker last saw) is renewed, when the mode renews leases one by one; anything else is taken, when it may be,
     * as the Go library's {@code GetLease} did.
     */
    void getLease(ShardStatus shard, String newOwner) {
        own.takesUnder(newOwner);
        if (!ownership.renewIfHeldAsSeen(shard, newOwner, own.observations.get(shard.getId()))) {
            take(shard, newOwner);
        }
    }

    /**
     * Takes the lease for {@code newOwner}: free, expired as observed, or already {@code newOwner}'s; and while
     * another worker's claim stands, only for the claimant. Fills {@code shard} from the row as written.
     */
    Lease take(ShardStatus shard, String newOwner) {
        own.ownWrites.lock(shard.getId());
        try {
            return takeLocked(shard, newOwner);
        }
        finally {
            own.ownWrites.unlock(shard.getId());
        }
    }

    private Lease takeLocked(ShardStatus shard, String newOwner) {
        String shardId = shard.getId();
        own.takesUnder(newOwner);
        Observation seen = own.observations.get(shardId);
        if (seen != null && refusal(seen, newOwner) != null) {
            // A refusal judged on what may be an old view: look at the row again before refusing.
            seen = reader.read(shardId);
            RuntimeException refused = seen == null ? null : refusal(seen, newOwner);
            if (refused != null) {
                throw refused;
            }
        }
        // A shard never seen is tried as free (or new) in one write; the re-read after a refusal tells the rest.
        return takeAsSeen(shard, newOwner, seen, seen == null, 1);
    }

    /**
     * One take of the lease as seen ({@code null}: never seen, tried as free or new). The row is read back, so that
     * the caller starts from the checkpoint really stored. {@code optimistic}: a refusal of a shard never seen is
     * judged again on the row as re-read, and taken when it may be after all. A take never leaves a reset standing: one
     * written since the row was seen, which the take finds on the row or which made it fail, is applied by taking the
     * lease again, up to {@link OwnLeases#OWN_RACE_ATTEMPTS} times.
     */
    private Lease takeAsSeen(ShardStatus shard, String newOwner, @Nullable Observation seen, boolean optimistic,
            int attempt) {
        String shardId = shard.getId();
        Lease lease = seen == null ? null : seen.lease();
        // A row that still names this worker is taken back: reported as a renewal, as the seed's getLease did.
        boolean renewal = lease != null && lease.isOwnedBy(newOwner);
        CheckpointOperation operation = renewal ? CheckpointOperation.RENEW_LEASE : CheckpointOperation.TAKE_LEASE;
        Ownership.TakeStamp stamp = ownership.stampTake(shardId, seen);
        ConditionalUpdate take = LeaseConditions.take(seen, newOwner, shard.getParentShardId(), stamp.timeout(),
                own.leaseStealing, own.claimExpired(seen));
        stamp.writeOn(take);
        String stream = own.streamIdentity();
        if (stream != null) {
            LeaseConditions.boundToStream(take, stream);
        }
        UpdateItemRequest request = table.request(take, shardId, ReturnValue.ALL_NEW);
        long sentAt = own.observations.now();
        try {
            Map<String, AttributeValue> item = table.update(operation, shardId, request).attributes();
            Lease taken = LeaseSerializer.toLease(item);
            own.succeeded(shard, taken, LeaseSerializer.timeoutText(item), sentAt, lease, stamp.epoch());
            ownership.taken(shardId);
            if (lease != null && lease.pendingReset() != null) {
                resetApplied(taken, lease.pendingReset());
            }
            if (taken.pendingReset() != null && attempt < OwnLeases.OWN_RACE_ATTEMPTS) {
                return takeAsSeen(shard, newOwner, own.observations.get(shardId), false, attempt + 1);   // written since seen
            }
            return taken;
        }
        catch (CheckpointStoreException failure) {
            own.ages.renewalFailed();
            throw failure;
        }
        catch (ConditionalCheckFailedException lostRace) {
            Observation reread = reader.read(shardId);
            Lease current = reread == null ? null : reread.lease();
            Long expectedCounter = lease == null ? null : lease.leaseCounter() + 1;
            // This call's own write, retried after a lost answer: the version it made, with its stamp (another write
            // of ours, an earlier take or renewal that landed late, is no proof of when this lease period began).
            boolean ourWriteLanded = current != null && current.isOwnedBy(newOwner) && stamp.isOn(reread)
                    && (expectedCounter == null || current.leaseCounter() == expectedCounter);
            if (ourWriteLanded) {
                own.succeeded(shard, current, reread.timeoutText(), sentAt, lease, stamp.epoch());
                return current;
            }
            if (renewal) {
                own.listener.leaseLost(shardId);
            }
            if (current != null) {
                shard.update(current);
                RuntimeException refused = refusal(reread, newOwner);
                boolean resetMoved = !Objects.equals(resetId(lease), resetId(current));
                boolean oursSince = current.isOwnedBy(newOwner);
                if (refused == null && (optimistic || ((resetMoved || oursSince) && attempt < OwnLeases.OWN_RACE_ATTEMPTS))) {
                    // Not free after all, but may be taken as now seen (it is ours, say, by a write of ours that landed
                    // late); or a reset came or changed.
                    return takeAsSeen(shard, newOwner, reread, false, attempt + 1);
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
        ResetAudit.applied(own.workerId, taken.shardId(), reset);
        own.listener.resetApplied(taken.shardId(), reset);
    }

    /** Why {@code newOwner} may not take the lease as seen: by this mode's rules, or by those of both. */
    private @Nullable RuntimeException refusal(Observation seen, String newOwner) {
        RuntimeException refused = ownership.refusal(seen, newOwner);
        return refused != null ? refused : own.refusal(seen, newOwner);
    }

    private static @Nullable String resetId(@Nullable Lease lease) {
        return lease == null || lease.pendingReset() == null ? null : lease.pendingReset().id();
    }
}
