package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.Objects;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.ShardResetException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Checkpoints: fenced by the owner and version this worker's own take or renewal wrote, and by the checkpoint it last
 * saw or wrote, so that a late older write can never put a shard back.
 */
final class CheckpointWrites {

    private final TableClient table;
    private final OwnLeases own;
    private final LeaseReader reader;
    private final Ownership ownership;

    CheckpointWrites(TableClient table, OwnLeases own, LeaseReader reader, Ownership ownership) {
        this.table = table;
        this.own = own;
        this.reader = reader;
        this.ownership = ownership;
    }

    /** @param deadlineNanos when to give up, waiting and writing, on the monotonic clock; {@code null}: never */
    void checkpoint(ShardStatus shard, @Nullable Long deadlineNanos) {
        String shardId = shard.getId();
        String checkpoint = shard.getCheckpoint();
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException("shard " + shardId + " has no checkpoint to write");
        }
        if (deadlineNanos == null) {
            own.ownWrites.lock(shardId);
        }
        else {
            own.ownWrites.lockBefore(shardId, deadlineNanos, "checkpoint");
        }
        try {
            writeCheckpoint(shardId, checkpoint, shard.getCheckpointSubSequenceNumber(), deadlineNanos);
        }
        finally {
            own.ownWrites.unlock(shardId);
        }
    }

    private void writeCheckpoint(String shardId, String checkpoint, @Nullable Long subSequenceNumber,
            @Nullable Long deadlineNanos) {
        for (int attempt = 1; attempt <= OwnLeases.OWN_RACE_ATTEMPTS; attempt++) {
            Observation heldObservation = heldLease(shardId);
            Lease held = heldObservation.lease();
            if (held.pendingReset() != null) {
                throw new ShardResetException(shardId, held.pendingReset());   // seen by a scan: refused without a request
            }
            ConditionalUpdate update = LeaseConditions.checkpoint(heldObservation, checkpoint, subSequenceNumber);
            UpdateItemRequest request = table.request(update, shardId, ReturnValue.NONE);
            long sentAt = own.observations.now();
            try {
                if (deadlineNanos == null) {
                    table.update(CheckpointOperation.CHECKPOINT, shardId, request);
                }
                else {
                    table.updateBefore(deadlineNanos, CheckpointOperation.CHECKPOINT, shardId, request);
                }
                own.observations.observeOwnCheckpoint(shardId, checkpoint, subSequenceNumber);
                own.listener.checkpointWritten(shardId, Duration.ofNanos(own.observations.now() - sentAt), true);
                OwnLeases.log.debug("Checkpoint of shard {} at {}", shardId, checkpoint);
                return;
            }
            catch (ConditionalCheckFailedException lostRace) {
                Observation reread = reader.read(shardId);
                // In worker renewal mode, the owner's name is not enough: a restarted process has the same one.
                Lease current = reread == null || !Objects.equals(reread.ownerEpoch(), heldObservation.ownerEpoch())
                        ? OwnLeases.leaseOfAnotherProcess(reread) : reread.lease();
                if (current != null && current.isOwnedBy(held.owner()) && current.leaseCounter() == held.leaseCounter()
                        && checkpoint.equals(current.checkpoint())
                        && Objects.equals(subSequenceNumber, current.checkpointSubSequenceNumber())) {
                    own.listener.checkpointWritten(shardId, Duration.ofNanos(own.observations.now() - sentAt), true);
                    return; // a retry of our own write, which had landed
                }
                if (current != null && current.pendingReset() != null && current.isOwnedBy(held.owner())) {
                    own.listener.checkpointWritten(shardId, Duration.ofNanos(own.observations.now() - sentAt), false);
                    throw new ShardResetException(shardId, current.pendingReset());
                }
                if (current == null || !current.isOwnedBy(held.owner())) {
                    own.listener.checkpointWritten(shardId, Duration.ofNanos(own.observations.now() - sentAt), false);
                    own.listener.leaseLost(shardId);
                    throw OwnLeases.lost(shardId, held.owner(), current);
                }
                // Still ours: our own renewal moved the counter under this write, or an earlier checkpoint write
                // of ours, answered by a timeout, landed since. Go again with the row as it is now.
            }
        }
        throw new LeaseLostException(shardId, "checkpoint of shard " + shardId + " kept finding the row changed by earlier writes of this worker");
    }

    /** The lease as this process last took or renewed it; a worker that holds none cannot write. */
    private Observation heldLease(String shardId) {
        Observation seen = own.heldLease(shardId);
        if (!ownership.isThisProcess(seen)) {
            throw new LeaseLostException(shardId, own.workerId + " does not hold the lease on shard " + shardId
                    + ": it is held by another process under the same worker id, or this one is no longer registered");
        }
        return seen;
    }
}
