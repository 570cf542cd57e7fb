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
final class CheckpointWrites extends ProtocolPart {

    CheckpointWrites(ProtocolPart shared) {
        super(shared);
    }

    /** @param deadlineNanos when to give up, waiting and writing, on the monotonic clock; {@code null}: never */
    void checkpoint(ShardStatus shard, @Nullable Long deadlineNanos) {
        String shardId = shard.getId();
        String checkpoint = shard.getCheckpoint();
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException("shard " + shardId + " has no checkpoint to write");
        }
        if (deadlineNanos == null) {
            ownWrites.lock(shardId);
        }
        else {
            ownWrites.lockBefore(shardId, deadlineNanos, "checkpoint");
        }
        try {
            writeCheckpoint(shardId, checkpoint, shard.getCheckpointSubSequenceNumber(), deadlineNanos);
        }
        finally {
            ownWrites.unlock(shardId);
        }
    }

    private void writeCheckpoint(String shardId, String checkpoint, @Nullable Long subSequenceNumber,
            @Nullable Long deadlineNanos) {
        for (int attempt = 1; attempt <= OWN_RACE_ATTEMPTS; attempt++) {
            Observation heldObservation = heldLease(shardId);
            Lease held = heldObservation.lease();
            if (held.pendingReset() != null) {
                throw new ShardResetException(shardId, held.pendingReset());   // seen by a scan: refused without a request
            }
            UpdateItemRequest request = LeaseConditions.checkpoint(heldObservation, checkpoint, subSequenceNumber)
                    .toRequest(tableName, keys.of(shardId), ReturnValue.NONE)
                    .overrideConfiguration(calls.requestOverrides()).build();
            long sentAt = observations.now();
            try {
                if (deadlineNanos == null) {
                    calls.execute(CheckpointOperation.CHECKPOINT, shardId, () -> client.updateItem(request));
                }
                else {
                    calls.executeBefore(deadlineNanos, CheckpointOperation.CHECKPOINT, shardId,
                            overrides -> client.updateItem(overrides == calls.requestOverrides() ? request
                                    : request.toBuilder().overrideConfiguration(overrides).build()));
                }
                observations.observeOwnCheckpoint(shardId, checkpoint, subSequenceNumber);
                listener.checkpointWritten(shardId, Duration.ofNanos(observations.now() - sentAt), true);
                log.debug("Checkpoint of shard {} at {}", shardId, checkpoint);
                return;
            }
            catch (ConditionalCheckFailedException lostRace) {
                Observation reread = reader.read(shardId);
                // In worker renewal mode, the owner's name is not enough: a restarted process has the same one.
                Lease current = reread == null || !Objects.equals(reread.ownerEpoch(), heldObservation.ownerEpoch())
                        ? leaseOfAnotherProcess(reread) : reread.lease();
                if (current != null && current.isOwnedBy(held.owner()) && current.leaseCounter() == held.leaseCounter()
                        && checkpoint.equals(current.checkpoint())
                        && Objects.equals(subSequenceNumber, current.checkpointSubSequenceNumber())) {
                    listener.checkpointWritten(shardId, Duration.ofNanos(observations.now() - sentAt), true);
                    return; // a retry of our own write, which had landed
                }
                if (current != null && current.pendingReset() != null && current.isOwnedBy(held.owner())) {
                    listener.checkpointWritten(shardId, Duration.ofNanos(observations.now() - sentAt), false);
                    throw new ShardResetException(shardId, current.pendingReset());
                }
                if (current == null || !current.isOwnedBy(held.owner())) {
                    listener.checkpointWritten(shardId, Duration.ofNanos(observations.now() - sentAt), false);
                    listener.leaseLost(shardId);
                    throw lost(shardId, held.owner(), current);
                }
                // Still ours: our own renewal moved the counter under this write, or an earlier checkpoint write
                // of ours, answered by a timeout, landed since. Go again with the row as it is now.
            }
        }
        throw new LeaseLostException(shardId, "checkpoint of shard " + shardId + " kept finding the row changed by earlier writes of this worker");
    }
}
