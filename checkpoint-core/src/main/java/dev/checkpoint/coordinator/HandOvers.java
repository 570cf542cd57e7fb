package dev.checkpoint.coordinator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a stopping worker's leases go, and the notes that send them: each to the live worker that holds the fewest, as
 * the table is read at the stop, so that the next owner takes it within one renew interval rather than at its next
 * sync. Live workers are the owners of unexpired leases other than the stopping one; with none, or when DynamoDB does
 * not answer, nothing is handed over and the syncs find the shards.
 */
final class HandOvers {

    private static final Logger log = LoggerFactory.getLogger(HandOvers.class);

    /** Who takes a released shard, and a lease of that worker's to leave the note on. */
    record Successor(String workerId, String viaLease) {
    }

    private HandOvers() {
    }

    /**
     * Tells a live worker of each shard released, the one with the fewest leases, to take it at once: one scan, then a
     * note a shard, sent in parallel on {@code pools}' workers and awaited until {@code deadlineNanos}.
     */
    static void handOver(LeaseStore store, List<String> released, CoordinatorThreads pools, long deadlineNanos) {
        Map<String, Lease> rows = new HashMap<>();
        try {
            store.scan().forEach(row -> rows.put(row.shardId(), row));
        }
        catch (CheckpointException unavailable) {
            log.info("{} hands nothing over: the table could not be read ({}); the next sync finds the shards",
                    store.workerId(), unavailable.getMessage());
            return;
        }
        List<CompletableFuture<Void>> notes = new ArrayList<>();
        plan(released, rows, store.workerId(), store::isExpired).forEach((shardId, successor) ->
                notes.add(CompletableFuture.runAsync(() -> note(store, shardId, successor), pools.workers)));
        pools.awaitUntil(CompletableFuture.allOf(notes.toArray(CompletableFuture[]::new)), deadlineNanos);
    }

    private static void note(LeaseStore store, String shardId, Successor successor) {
        try {
            store.handOver(shardId, successor.workerId(), successor.viaLease());
            log.debug("{} handed shard {} over to {}", store.workerId(), shardId, successor.workerId());
        }
        catch (CheckpointException failure) {
            log.info("{} could not hand shard {} over; the next sync finds it: {}", store.workerId(), shardId,
                    failure.getMessage());
        }
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
