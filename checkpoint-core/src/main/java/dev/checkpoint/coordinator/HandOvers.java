package dev.checkpoint.coordinator;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

import dev.checkpoint.Lease;

/**
 * Where a stopping worker's leases go: each to the live worker that holds the fewest, as the table is read at the
 * stop, so that the next owner takes it within one renew interval rather than at its next sync. Live workers are the
 * owners of unexpired leases other than the stopping one; with none, nothing is handed over and the syncs find the
 * shards.
 */
final class HandOvers {

    /** Who takes a released shard, and a lease of that worker's to leave the note on. */
    record Successor(String workerId, String viaLease) {
    }

    private HandOvers() {
    }

    /**
     * @param released the shards the stopping worker releases
     * @param rows the table as read at the stop
     * @param stopping the stopping worker
     * @param expired whether the stopping worker judges a lease expired
     * @return a successor for each released shard, while there is any live worker
     */
    static Map<String, Successor> plan(Collection<String> released, Map<String, Lease> rows, String stopping,
            Predicate<String> expired) {
        Map<String, Integer> load = new TreeMap<>();
        Map<String, String> aLeaseOf = new HashMap<>();
        rows.values().forEach(row -> {
            if (row.isOwned() && !row.isOwnedBy(stopping) && !expired.test(row.shardId())) {
                load.merge(row.owner(), 1, Integer::sum);
                aLeaseOf.putIfAbsent(row.owner(), row.shardId());
            }
        });
        Map<String, Successor> plan = new LinkedHashMap<>();
        if (load.isEmpty()) {
            return plan;
        }
        for (String shardId : released) {
            String fewest = load.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            load.merge(fewest, 1, Integer::sum);
            plan.put(shardId, new Successor(fewest, aLeaseOf.get(fewest)));
        }
        return plan;
    }
}
