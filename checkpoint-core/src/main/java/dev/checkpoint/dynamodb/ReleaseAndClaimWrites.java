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
final class ReleaseAndClaimWrites extends ProtocolPart {

    ReleaseAndClaimWrites(ProtocolPart shared) {
        super(shared);
    }

    void release(String shardId) {
        ownWrites.lock(shardId);
        try {
            releaseOwn(shardId);
        }
        finally {
            ownWrites.unlock(shardId);
        }
    }

    private void releaseOwn(String shardId) {
        // In worker renewal mode, the worker that claimed the shard through this worker's heartbeat, if any.
        String claimant = heartbeats == null ? null : heartbeats.handOffTo(shardId);
        for (int attempt = 1; attempt <= OWN_RACE_ATTEMPTS; attempt++) {
            Observation seen = observations.get(shardId);
            boolean knownOwn = seen != null && seen.lease().isOwned() && namesOfThisWorker.contains(seen.lease().owner());
            if (heartbeats != null && !(knownOwn && Objects.equals(seen.ownerEpoch(), heartbeats.epoch()))) {
                // In worker renewal mode, only this process's own lease, as it holds it: the name alone may be a
                // restarted process's.
                throw lost(shardId, workerId + " (process " + heartbeats.epoch() + ")", leaseOf(seen));
            }
            String holder = knownOwn ? seen.lease().owner() : workerId;
            ConditionalUpdate update = LeaseConditions.release(knownOwn ? seen : null, holder);
            if (heartbeats != null) {
                LeaseConditions.releasedByProcess(update, claimant);
            }
            // Releasing a lease as seen needs nothing back: the row is then the one seen, without owner or timeout.
            boolean noReadBack = knownOwn && seen.lease().leaseCounter() > 0;
            UpdateItemRequest request = update.toRequest(tableName, keys.of(shardId), noReadBack ? ReturnValue.NONE : ReturnValue.ALL_NEW)
                    .overrideConfiguration(calls.requestOverrides()).build();
            long sentAt = observations.now();
            try {
                UpdateItemResponse response = calls.execute(CheckpointOperation.RELEASE_LEASE, shardId, () -> client.updateItem(request));
                if (noReadBack) {
                    Lease released = seen.lease();
                    observations.observeOwnWrite(new Lease(shardId, null, null, released.leaseCounter() + 1,
                            released.checkpoint(), released.parentShardId(), claimant != null ? claimant : released.claimRequest(),
                            released.checkpointSubSequenceNumber(), released.pendingReset(), released.startingPosition()),
                            null, sentAt);
                }
                else {
                    Map<String, AttributeValue> item = response.attributes();
                    observations.observeOwnWrite(LeaseSerializer.toLease(item), LeaseSerializer.timeoutText(item), sentAt);
                }
                if (heartbeats != null) {
                    heartbeats.leasesChanged();
                }
                listener.leaseReleased(shardId);
                log.debug("Released lease on shard {}", shardId);
                return;
            }
            catch (ConditionalCheckFailedException lostRace) {
                Observation reread = reader.read(shardId);
                Lease current = knownOwn && reread != null && !Objects.equals(reread.ownerEpoch(), seen.ownerEpoch())
                        ? leaseOfAnotherProcess(reread) : leaseOf(reread);
                if (knownOwn && current != null && !current.isOwned()
                        && current.leaseCounter() == seen.lease().leaseCounter() + 1) {
                    listener.leaseReleased(shardId);
                    return; // a retry of our own release, which had landed
                }
                if (current == null || !current.isOwnedBy(holder)) {
                    throw lost(shardId, holder, current);
                }
            }
        }
        throw new LeaseLostException(shardId, "release of shard " + shardId + " kept finding the row changed by earlier writes of this worker");
    }

    void claim(ShardStatus shard, String claimant) {
        String shardId = shard.getId();
        String expectedOwner = shard.getLeaseOwner();
        Observation seen = observations.get(shardId);
        if (heartbeats != null && seen != null && seen.ownerEpoch() != null && Objects.equals(expectedOwner, seen.lease().owner())) {
            claimThroughHeartbeat(seen, claimant, heartbeats);
            log.debug("Claimed shard {} for {} from {}", shardId, claimant, expectedOwner);
            return;
        }
        UpdateItemRequest request = LeaseConditions.claim(seen, claimant, expectedOwner, claimExpired(seen)).toRequest(tableName, keys.of(shardId), ReturnValue.ALL_NEW)
                .overrideConfiguration(calls.requestOverrides()).build();
        try {
            UpdateItemResponse response = calls.execute(CheckpointOperation.CLAIM_SHARD, shardId, () -> client.updateItem(request));
            Lease claimed = LeaseSerializer.toLease(response.attributes());
            observations.observe(claimed, response.attributes());
            shard.update(claimed);
            log.debug("Claimed shard {} for {} from {}", shardId, claimant, expectedOwner);
        }
        catch (ConditionalCheckFailedException lostRace) {
            Lease current = leaseOf(reader.read(shardId));
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
        UpdateItemRequest request = update.toRequest(tableName, keys.of(shardId), ReturnValue.NONE)
                .overrideConfiguration(calls.requestOverrides()).build();
        try {
            calls.execute(CheckpointOperation.RELEASE_LEASE, shardId, () -> client.updateItem(request));
            log.info("Lease on shard {} of table {} released by an operator; it was {}'s", shardId, tableName,
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
        UpdateItemRequest request = heartbeats != null
                ? HeartbeatRows.handOverNote(tableName, keys.of(HeartbeatRows.key(successor)), shardId).build()
                : LeaseConditions.handOverNote(successor, shardId).toRequest(tableName, keys.of(successorsLease),
                        ReturnValue.NONE).build();
        try {
            calls.execute(CheckpointOperation.RELEASE_LEASE, shardId,
                    () -> client.updateItem(request.toBuilder().overrideConfiguration(calls.requestOverrides()).build()));
        }
        catch (ConditionalCheckFailedException gone) {
            log.debug("Shard {} released without a note: {} no longer holds what it did", shardId, successor);
        }
    }

    /**
     * Takes this worker's claim on the shard back, wherever it stands: in {@code owner}'s heartbeat mailbox (worker
     * renewal mode), and on the row (per-lease mode, or a release to this worker already written). Nothing is written
     * where the claim is no longer this worker's.
     */
    void withdrawClaim(String shardId, String owner, String claimant) {
        if (heartbeats != null) {
            try {
                calls.execute(CheckpointOperation.CLAIM_SHARD, shardId, () -> client.updateItem(HeartbeatRows.withdrawClaim(
                        tableName, keys.of(HeartbeatRows.key(owner)), shardId, claimant)
                        .overrideConfiguration(calls.requestOverrides()).build()));
            }
            catch (ConditionalCheckFailedException notThere) {
                // handed over already, or the owner's process is gone: the row may carry it
            }
        }
        UpdateItemRequest request = LeaseConditions.withdrawClaim(claimant).toRequest(tableName, keys.of(shardId),
                ReturnValue.NONE).overrideConfiguration(calls.requestOverrides()).build();
        try {
            calls.execute(CheckpointOperation.CLAIM_SHARD, shardId, () -> client.updateItem(request));
        }
        catch (ConditionalCheckFailedException notOurs) {
            // no claim of ours on the row
        }
    }

    /**
     * In worker renewal mode, asks the owner of the lease seen to hand the shard to {@code claimant}: one write into its
     * heartbeat row's mailbox, which its next heartbeat brings back.
     *
     * @throws ShardClaimedException when another claim on the shard stands there
     * @throws LeaseNotAcquiredException when the owner's process is no longer the one that holds the lease
     */
    private void claimThroughHeartbeat(Observation lease, String claimant, WorkerHeartbeats heartbeats) {
        String shardId = lease.lease().shardId();
        String owner = lease.lease().owner();
        try {
            calls.execute(CheckpointOperation.CLAIM_SHARD, shardId, () -> client.updateItem(HeartbeatRows.claim(tableName,
                    keys.of(HeartbeatRows.key(owner)), lease.ownerEpoch(), shardId, claimant)
                    .overrideConfiguration(calls.requestOverrides()).build()));
        }
        catch (ConditionalCheckFailedException refused) {
            HeartbeatRows.Row row = heartbeats.readRow(owner);
            String standing = row == null ? null : row.claims().get(shardId);
            if (claimant.equals(standing)) {
                return;   // a retry of our own claim, which had landed
            }
            if (standing != null) {
                throw new ShardClaimedException(shardId, standing);
            }
            throw new LeaseNotAcquiredException(shardId, "cannot claim shard " + shardId + " from " + owner
                    + ": its process " + lease.ownerEpoch() + " is gone");
        }
    }
}
