package dev.checkpoint.dynamodb;

import java.util.Map;
import java.util.UUID;

import dev.checkpoint.CheckpointOperation;
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
 * renewal, and the next take applies it ({@link LeaseConditions#take}). The row as it was comes back with the write,
 * for the audit line.
 */
final class ResetWrites extends ProtocolPart {

    ResetWrites(ProtocolPart shared) {
        super(shared);
    }

    /** Writes the reset; {@code null} when the shard has no row. */
    @Nullable ResetReceipt request(String shardId, StartingPosition to, String requestedBy) {
        PendingReset reset = new PendingReset(UUID.randomUUID().toString(), to, requestedBy, clock.instant());
        UpdateItemRequest request = LeaseConditions.resetRequest(reset).toRequest(tableName, keys.of(shardId), ReturnValue.ALL_OLD)
                .overrideConfiguration(calls.requestOverrides()).build();
        Map<String, AttributeValue> before;
        try {
            before = calls.execute(CheckpointOperation.RESET_SHARD, shardId, () -> client.updateItem(request)).attributes();
        }
        catch (ConditionalCheckFailedException noRow) {
            return null;
        }
        // A retry of our own write that had landed answers with the row as our first attempt left it: still a receipt.
        Lease old = before == null || before.isEmpty() ? new Lease(shardId, null, null, 0, null, null, null)
                : LeaseSerializer.toLease(before);
        ResetReceipt receipt = ResetReceipt.of(reset, old);
        ResetAudit.requested(tableName, receipt);
        listener.resetRequested(receipt);
        return receipt;
    }
}
