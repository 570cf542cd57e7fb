package dev.checkpoint.dynamodb;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardResetException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import org.jspecify.annotations.Nullable;

/**
 * Renewals: a lease this worker holds, renewed as it last took or renewed it, and nothing else. A renewal of a row
 * that is no longer this worker's fails, and never takes it; a renewal stops at the lease's deadline.
 */
final class RenewalWrites {

    private final TableClient table;
    private final OwnLeases own;
    private final LeaseReader reader;

    RenewalWrites(TableClient table, OwnLeases own, LeaseReader reader) {
        this.table = table;
        this.own = own;
        this.reader = reader;
    }

    /**
     * Renews a lease this worker holds, as it last took or renewed it, and nothing else: when the row is no longer
     * this worker's (released, taken, deleted), it fails and never takes the lease again. Gives up at
     * {@code deadlineNanos}, when the lease runs out by this worker's own clock.
     *
     * @throws ShardClaimedException when another worker's claim stands: hand the shard over
     * @throws ShardResetException when a reset stands: stop processing, and take the lease again to apply it
     * @throws LeaseNotAcquiredException when the row is no longer this worker's
     * @throws CheckpointStoreException when DynamoDB did not answer in time
     */
    Set<String> renew(ShardStatus shard, long deadlineNanos) {
        String shardId = shard.getId();
        own.ownWrites.lockBefore(shardId, deadlineNanos, "renewal");
        try {
            for (int attempt = 1; attempt <= OwnLeases.OWN_RACE_ATTEMPTS; attempt++) {
                Observation seen = own.observations.get(shardId);
                if (!own.namesThisWorker(seen)) {
                    throw new LeaseNotAcquiredException(shardId, own.workerId + " cannot renew the lease on shard " + shardId
                            + ": " + (seen == null ? "it has not taken it" : "it is no longer this worker's, as last seen"));
                }
                if (renewalRefusal(seen) != null) {
                    // A refusal judged on what may be an old view: look at the row again before refusing.
                    Observation reread = reader.read(shardId);
                    RuntimeException refused = reread == null ? null : renewalRefusal(reread);
                    if (refused != null) {
                        throw refused;
                    }
                    continue;
                }
                Set<String> handedOver = renewOnce(shard, seen, deadlineNanos);
                if (handedOver != null) {
                    return handedOver;
                }
            }
            throw new CheckpointStoreException(shardId, "renewal of shard " + shardId
                    + " kept finding the row changed by earlier writes of this worker", null);
        }
        finally {
            own.ownWrites.unlock(shardId);
        }
    }

    /**
     * One renewal write: the shards handed over to this worker since (the note the write cleared), or {@code null} when
     * an earlier write of this worker changed the row since it was seen.
     */
    private @Nullable Set<String> renewOnce(ShardStatus shard, Observation seen, long deadlineNanos) {
        String shardId = shard.getId();
        Lease lease = seen.lease();
        Instant timeout = table.clock.instant().plus(own.leaseDuration);
        UpdateItemRequest request = table.request(LeaseConditions.renewal(seen, timeout, shard.getParentShardId(),
                own.leaseStealing, own.claimExpired(seen)), shardId, ReturnValue.UPDATED_OLD);
        long sentAt = own.observations.now();
        try {
            Map<String, AttributeValue> before = table.updateBefore(deadlineNanos, CheckpointOperation.RENEW_LEASE, shardId,
                    request).attributes();
            own.succeeded(shard, renewed(lease, timeout, shard.getParentShardId()), LeaseSerializer.timeout(timeout).s(),
                    sentAt, lease, null);
            AttributeValue handedOver = before == null ? null : before.get(CheckpointConstants.HANDED_OVER_KEY);
            return handedOver == null || !handedOver.hasSs() ? Set.of() : Set.copyOf(handedOver.ss());
        }
        catch (CheckpointStoreException failure) {
            own.ages.renewalFailed();
            throw failure;
        }
        catch (ConditionalCheckFailedException lostRace) {
            Observation reread = reader.read(shardId);
            Lease current = reread == null ? null : reread.lease();
            if (current != null && current.isOwnedBy(lease.owner())) {
                if (current.leaseCounter() == lease.leaseCounter() + 1
                        && LeaseSerializer.timeout(timeout).s().equals(reread.timeoutText())) {
                    own.succeeded(shard, current, reread.timeoutText(), sentAt, lease, null);  // a retry of ours, which had landed
                    return Set.of();   // a note it cleared is lost with the answer: the sync finds that shard instead
                }
                // Not this call's write (its timeout is another): an earlier renewal of ours, given up on, that landed
                // late. The others count the lease from when they saw that write, which may be long before this call
                // was sent; so this call's send time proves nothing, and the row is renewed again as it is now.
                RuntimeException refused = renewalRefusal(reread);
                if (refused != null) {
                    throw refused;
                }
                return null;   // moved by an earlier write of ours that landed late: renew the row as it is now
            }
            own.listener.leaseLost(shardId);
            if (current != null) {
                shard.update(current);
            }
            throw new LeaseNotAcquiredException(shardId, "could not renew the lease on shard " + shardId + " for "
                    + lease.owner() + ": " + (current == null ? "the row was deleted" : current.isOwned()
                            ? "it is now held by " + current.owner() + " (counter " + current.leaseCounter() + ")"
                            : "it was released"));
        }
    }

    /** Why the owner may not renew the lease as seen: a reset stands on it, or another worker's claim; else {@code null}. */
    private @Nullable RuntimeException renewalRefusal(Observation seen) {
        Lease lease = seen.lease();
        if (lease.pendingReset() != null) {
            return new ShardResetException(lease.shardId(), lease.pendingReset());
        }
        return own.refusal(seen, lease.owner());
    }

    /** The lease as a renewal leaves it: the checkpoint as now seen, since one of ours may have been written meanwhile. */
    private Lease renewed(Lease lease, Instant timeout, String parentShardId) {
        Observation now = own.observations.get(lease.shardId());
        Lease latest = now != null ? now.lease() : lease;
        return new Lease(lease.shardId(), lease.owner(), timeout, lease.leaseCounter() + 1, latest.checkpoint(),
                parentShardId != null ? parentShardId : lease.parentShardId(), own.leaseStealing ? null : lease.claimRequest(),
                latest.checkpointSubSequenceNumber(), null, latest.startingPosition());
    }
}
