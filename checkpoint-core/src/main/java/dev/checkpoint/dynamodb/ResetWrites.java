package dev.checkpoint.dynamodb;

import java.util.Map;
import java.util.UUID;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Lease;
import dev.checkpoint.PendingReset;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * An operator's reset: written on the row in one request, whoever holds the lease; the owner learns of it at its next
 * renewal, and the next take applies it ({@link LeaseConditions#take}). In worker renewal mode, a second request puts a
 * notice in the owner's mailbox, which its next heartbeat brings back. The row as it was comes back with the write,
 * for the audit line.
 */
final class ResetWrites {

    private final TableClient table;
    private final CheckpointListener listener;
    private final Ownership ownership;

    ResetWrites(TableClient table, CheckpointListener listener, Ownership ownership) {
        this.table = table;
        this.listener = listener;
        this.ownership = ownership;
    }

    /** Writes the reset; {@code null} when the shard has no row. */
    @Nullable ResetReceipt request(String shardId, StartingPosition to, String requestedBy) {
        PendingReset reset = new PendingReset(UUID.randomUUID().toString(), to, requestedBy, table.clock.instant());
        UpdateItemRequest request = table.request(LeaseConditions.resetRequest(reset), shardId, ReturnValue.ALL_OLD);
        Map<String, AttributeValue> before;
        try {
            before = table.update(CheckpointOperation.RESET_SHARD, shardId, request).attributes();
        }
        catch (ConditionalCheckFailedException noRow) {
            return null;
        }
        // A retry of our own write that had landed answers with the row as our first attempt left it: still a receipt.
        Lease old = before == null || before.isEmpty() ? new Lease(shardId, null, null, 0, null, null, null)
                : LeaseSerializer.toLease(before);
        ResetReceipt receipt = ResetReceipt.of(reset, old);
        String ownerEpoch = before == null ? null : LeaseSerializer.ownerEpoch(before);
        if (old.owner() != null && ownerEpoch != null) {
            noticeToOwner(old.owner(), ownerEpoch, reset.id(), shardId);
        }
        else if (old.owner() == null) {
            ownership.freeLeaseReset();
        }
        ResetAudit.requested(table.tableName, receipt);
        listener.resetRequested(receipt);
        return receipt;
    }

    /**
     * In worker renewal mode, tells the owner's process of the reset, in its mailbox, which its next heartbeat brings
     * back; best effort: when it fails, the owner learns of the reset at its next checkpoint, or at its next scan.
     */
    private void noticeToOwner(String owner, String ownerEpoch, String resetId, String shardId) {
        UpdateItemRequest notice = table.withTimeouts(HeartbeatRows.resetNotice(table.tableName,
                table.key(HeartbeatRows.key(owner)), ownerEpoch, resetId, shardId));
        try {
            table.update(CheckpointOperation.RESET_SHARD, shardId, notice);
        }
        catch (ConditionalCheckFailedException | CheckpointStoreException gone) {
            OwnLeases.log.debug("No reset notice for {} on shard {}: {}", owner, shardId, gone.getMessage());
        }
    }
}
