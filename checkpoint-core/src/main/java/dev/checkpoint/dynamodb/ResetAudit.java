package dev.checkpoint.dynamodb;

import dev.checkpoint.PendingReset;
import dev.checkpoint.ResetReceipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of resets: one line when a reset is written on a row (who, when, from what, to what) and one when a
 * take applies it, on the logger {@code dev.checkpoint.audit}, so that it can be routed apart from the rest.
 */
final class ResetAudit {

    private static final Logger audit = LoggerFactory.getLogger("dev.checkpoint.audit");

    private ResetAudit() {
    }

    static void requested(String table, ResetReceipt receipt) {
        PendingReset reset = receipt.reset();
        audit.info("Reset requested: table={} shard={} from={} to={} by={} at={} owner={} id={}{}", table,
                receipt.shardId(), receipt.from(), reset.to(), reset.requestedBy(), reset.requestedAt(),
                receipt.owner() == null ? "none" : receipt.owner(), reset.id(),
                receipt.replaced() == null ? "" : " replacing=" + receipt.replaced().id());
    }

    static void applied(String workerId, String shardId, PendingReset reset) {
        audit.info("Reset applied: shard={} to={} by-worker={} requested-by={} id={}", shardId, reset.to(), workerId,
                reset.requestedBy(), reset.id());
    }
}
