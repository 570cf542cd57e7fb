package dev.checkpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rewinds (or fast-forwards) a consumer group while it runs: writes a {@link ResetRequest} on the lease rows, one
 * request per shard, through the lease protocol ({@link LeaseStore#requestReset}). Each owner learns of it at its next
 * renewal, stops, and starts again from the reset position; a free lease, or one whose owner died, gets it from its next
 * taker. Needs no coordinator: an operator's tool can run it on a store of its own.
 */
public final class Resets {

    private final LeaseStore store;

    public Resets(LeaseStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Writes the reset on every shard it names, after checking them all: a shard without a row is refused, and then
     * nothing is written. A shard whose row is deleted meanwhile is left out of the answer.
     *
     * @return one receipt per shard reset: what it was at, for the audit trail
     * @throws IllegalArgumentException naming the shards that have no row
     */
    public List<ResetReceipt> request(ResetRequest request) {
        Objects.requireNonNull(request, "request");
        Map<String, StartingPosition> targets = targets(request);
        List<ResetReceipt> receipts = new ArrayList<>();
        targets.forEach((shardId, to) -> {
            ResetReceipt receipt = store.requestReset(shardId, to, request.requestedBy());
            if (receipt != null) {
                receipts.add(receipt);
            }
        });
        return receipts;
    }

    /** The shards to reset: every row for all shards (one scan); else the shards named, each read by its key alone. */
    private Map<String, StartingPosition> targets(ResetRequest request) {
        if (request.isAllShards()) {
            Map<String, StartingPosition> all = new LinkedHashMap<>();
            store.scan().forEach(lease -> all.put(lease.shardId(), request.toForAll()));
            return all;
        }
        Set<String> unknown = new TreeSet<>();
        request.byShard().keySet().forEach(shardId -> {
            if (store.find(shardId) == null) {
                unknown.add(shardId);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no lease in table " + store.tableName() + " for shard"
                    + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown) + "; nothing was reset");
        }
        return request.byShard();
    }
}
