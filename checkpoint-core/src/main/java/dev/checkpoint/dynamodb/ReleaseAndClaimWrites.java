package dev.checkpoint.dynamodb;

import java.util.Map;
import java.util.Objects;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** Releases (only of a lease this worker holds) and claims (asking another worker to hand a shard over). */
final class ReleaseAndClaimWrites {

    private final TableClient table;
    private final OwnLeases own;
    private final LeaseReader reader;
    private final Ownership ownership;

    ReleaseAndClaimWrites(TableClient table, OwnLeases own, LeaseReader reader, Ownership ownership) {
        this.table = table;
        this.own = own;
        this.reader = reader;
        this.ownership = ownership;
    }

    void release(String shardId) {
        own.ownWrites.lock(shardId);
        try {
            releaseOwn(shardId);
        }
        finally {
            own.ownWrites.unlock(shardId);
        }
    }

    private void releaseOwn(String shardId) {
        // The worker the shard is handed to, by a claim made through this worker's heartbeat (worker mode), if any.
        String claimant = ownership.handOffTo(shardId);
        for (int attempt = 1; attempt <= OwnLeases.OWN_RACE_ATTEMPTS; attempt++) {
            Observation seen = own.observations.get(shardId);
            boolean knownOwn = own.namesThisWorker(seen);
            ownership.checkRelease(shardId, seen, knownOwn);
            String holder = knownOwn ? seen.lease().owner() : own.workerId;
            ConditionalUpdate update = LeaseConditions.release(knownOwn ? seen : null, holder);
            ownership.stampRelease(update, claimant);
            // Releasing a lease as seen needs nothing back: the row is then the one seen, without owner or timeout.
            boolean noReadBack = knownOwn && seen.lease().leaseCounter() > 0;
            UpdateItemRequest request = table.request(update, shardId, noReadBack ? ReturnValue.NONE : ReturnValue.ALL_NEW);
            long sentAt = own.observations.now();
            try {
                UpdateItemResponse response = table.update(CheckpointOperation.RELEASE_LEASE, shardId, request);
                if (noReadBack) {
                    Lease released = seen.lease();
                    own.observations.observeOwnWrite(new Lease(shardId, null, null, released.leaseCounter() + 1,
                            released.checkpoint(), released.parentShardId(), claimant != null ? claimant : released.claimRequest(),
                            released.checkpointSubSequenceNumber(), released.pendingReset(), released.startingPosition()),
                            null, sentAt);
                }
                else {
                    Map<String, AttributeValue> item = response.attributes();
                    own.observations.observeOwnWrite(LeaseSerializer.toLease(item), LeaseSerializer.timeoutText(item), sentAt);
                }
                ownership.leasesChanged();
                own.listener.leaseReleased(shardId);
                OwnLeases.log.debug("Released lease on shard {}", shardId);
                return;
            }
            catch (ConditionalCheckFailedException lostRace) {
                Observation reread = reader.read(shardId);
                Lease current = knownOwn && reread != null && !Objects.equals(reread.ownerEpoch(), seen.ownerEpoch())
                        ? OwnLeases.leaseOfAnotherProcess(reread) : OwnLeases.leaseOf(reread);
                if (knownOwn && current != null && !current.isOwned()
                        && current.leaseCounter() == seen.lease().leaseCounter() + 1) {
                    own.listener.leaseReleased(shardId);
                    return; // a retry of our own release, which had landed
                }
                if (current == null || !current.isOwnedBy(holder)) {
                    throw OwnLeases.lost(shardId, holder, current);
                }
            }
        }
        throw new LeaseLostException(shardId, "release of shard " + shardId + " kept finding the row changed by earlier writes of this worker");
    }

    void claim(ShardStatus shard, String claimant) {
        String shardId = shard.getId();
        String expectedOwner = shard.getLeaseOwner();
        Observation seen = own.observations.get(shardId);
        if (ownership.claimFromOwner(seen, expectedOwner, claimant)) {
            OwnLeases.log.debug("Claimed shard {} for {} from {}", shardId, claimant, expectedOwner);
            return;
        }
        UpdateItemRequest request = table.request(LeaseConditions.claim(seen, claimant, expectedOwner, own.claimExpired(seen)),
                shardId, ReturnValue.ALL_NEW);
        try {
            UpdateItemResponse response = table.update(CheckpointOperation.CLAIM_SHARD, shardId, request);
            Lease claimed = LeaseSerializer.toLease(response.attributes());
            own.observations.observe(claimed, response.attributes());
            shard.update(claimed);
            OwnLeases.log.debug("Claimed shard {} for {} from {}", shardId, claimant, expectedOwner);
        }
        catch (ConditionalCheckFailedException lostRace) {
            Lease current = OwnLeases.leaseOf(reader.read(shardId));
            if (current != null) {
                shard.update(current);
            }
            if (current != null && claimant.equals(current.claimRequest()) && Objects.equals(expectedOwner, current.owner())) {
                return; // a retry of our own claim, which had landed
            }
            if (current != null && current.hasClaim()) {
                throw new ShardClaimedException(shardId, current.claimRequest());
            }
            throw new LeaseNotAcquiredException(shardId, "cannot claim shard " + shardId + ": expected owner "
                    + expectedOwner + " but " + (current == null ? "the row does not exist" : "it is " + current.owner()));
        }
    }

    /**
     * An operator's release of the lease, whoever holds it, as read now: the owner's next renewal (or heartbeat's
     * claim on it) fails and it hears {@code leaseLost}; its later checkpoints are fenced out. On condition that the row
     * is still the version read.
     *
     * @return {@code false} when nobody held it, or it changed between the read and the write
     */
    boolean releaseWhoeverHolds(String shardId) {
        Observation seen = reader.read(shardId);
        if (seen == null || !seen.lease().isOwned()) {
            return false;
        }
        ConditionalUpdate update = LeaseConditions.releasedByProcess(LeaseConditions.release(seen, seen.lease().owner()),
                null);
        UpdateItemRequest request = table.request(update, shardId, ReturnValue.NONE);
        try {
            table.update(CheckpointOperation.RELEASE_LEASE, shardId, request);
            OwnLeases.log.info("Lease on shard {} of table {} released by an operator; it was {}'s", shardId, table.tableName,
                    seen.lease().owner());
            return true;
        }
        catch (ConditionalCheckFailedException changed) {
            return false;
        }
    }

    /**
     * Leaves a note for {@code successor} that {@code shardId} was released for it: on its heartbeat row in worker
     * renewal mode, else on its lease row {@code successorsLease}. Nothing is written when that row is no longer the
     * successor's: the note is a hint, and the sync finds the shard anyway.
     */
    void handOver(String shardId, String successor, String successorsLease) {
        try {
            table.update(CheckpointOperation.RELEASE_LEASE, shardId, ownership.handOverNote(shardId, successor, successorsLease));
        }
        catch (ConditionalCheckFailedException gone) {
            OwnLeases.log.debug("Shard {} released without a note: {} no longer holds what it did", shardId, successor);
        }
    }

    /**
     * Takes this worker's claim on the shard back, wherever it stands: in {@code owner}'s heartbeat mailbox (worker
     * renewal mode), and on the row (per-lease mode, or a release to this worker already written). Nothing is written
     * where the claim is no longer this worker's.
     */
    void withdrawClaim(String shardId, String owner, String claimant) {
        ownership.withdrawClaimFromOwner(shardId, owner, claimant);
        UpdateItemRequest request = table.request(LeaseConditions.withdrawClaim(claimant), shardId, ReturnValue.NONE);
        try {
            table.update(CheckpointOperation.CLAIM_SHARD, shardId, request);
        }
        catch (ConditionalCheckFailedException notOurs) {
            // no claim of ours on the row
        }
    }
}
