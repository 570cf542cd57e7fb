package dev.checkpoint.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.checkpoint.KeepAlive;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.RequestCounter;
import dev.checkpoint.testsupport.TestDynamoDb;

/**
 * What one worker's sync reads, against the number of shards, in each renewal mode and key layout: a table of
 * {@code shards} rows, each held by one of {@code workers} workers, in steady state (nothing changes hands). The
 * per-lease sync scans the table; the worker-mode sync reads the heartbeats (and scans in full every tenth sync).
 * Read units as DynamoDB counts consistent reads, from the answers' item sizes.
 */
final class SyncReadsScenario {

    private static final int SYNCS = 20;

    /** One table size: read units and requests per sync, on average over {@link #SYNCS} syncs. */
    record Row(int shards, int workers, String layout, double perLeaseUnits, double perLeaseRequests,
            double perLeaseItems, double workerUnits, double workerRequests, double workerItems) {
    }

    private SyncReadsScenario() {
    }

    static List<Row> run(List<Integer> shardCounts, int workers) {
        List<Row> rows = new ArrayList<>();
        for (int shards : shardCounts) {
            for (boolean shared : new boolean[] { false, true }) {
                double[] lease = measure(RenewalMode.LEASE, shards, workers, shared);
                double[] worker = measure(RenewalMode.WORKER, shards, workers, shared);
                rows.add(new Row(shards, workers, shared ? "shared (Query)" : "Go layout (BatchGetItem)", lease[0], lease[1],
                        lease[2], worker[0], worker[1], worker[2]));
            }
        }
        return rows;
    }

    /** Read units and requests per sync of one worker, steady state. */
    private static double[] measure(RenewalMode mode, int shards, int workers, boolean shared) {
        String table = TestDynamoDb.uniqueTableName("reads");
        List<LeaseStore> stores = new ArrayList<>();
        RequestCounter counter = new RequestCounter();
        for (int i = 0; i < workers; i++) {
            DynamoDbCheckpointer.Builder builder = DynamoDbCheckpointer.builder()
                    .dynamoDbClient(TestDynamoDb.shared().newClient(i == 0 ? new RequestCounter[] { counter } : new RequestCounter[0]))
                    .tableName(table).workerId("worker-" + i).renewalMode(mode).leaseDuration(Duration.ofMinutes(10));
            if (shared) {
                builder.consumerGroup("group");
            }
            DynamoDbCheckpointer checkpointer = builder.build();
            checkpointer.init();
            LeaseStore store = checkpointer.leaseStore();
            store.register();
            stores.add(store);
        }
        for (int s = 0; s < shards; s++) {
            String shard = String.format("shardId-%012d", s);
            LeaseStore owner = stores.get(s % workers);
            owner.take(shard, null);
            owner.checkpoint(shard, "49590338271490256608559692538361571095921575989136" + s, null, Duration.ofMinutes(1));
        }
        beat(stores);
        LeaseStore reader = stores.get(0);
        reader.scanForSync();   // the first sync scans in full: not steady state
        counter.reset();
        for (int sync = 0; sync < SYNCS; sync++) {
            beat(stores);   // writes: not counted below
            reader.scanForSync();
        }
        int reads = 0;
        for (String operation : List.of("Scan", "Query", "GetItem", "BatchGetItem")) {
            reads += counter.counts().getOrDefault(operation, 0);
        }
        return new double[] { counter.readUnits() / SYNCS, (double) reads / SYNCS,
                (double) counter.itemsRead() / SYNCS };
    }

    static void write(List<Row> rows, Path output) throws IOException {
        Files.createDirectories(output);
        StringBuilder markdown = new StringBuilder("""
                **What one worker's sync reads in steady state** (consistent reads; read units from the answers' item sizes;
                average of 20 syncs, worker mode's page of its rotating read of the table included)

                | shards | workers | layout | per-lease: items / read units / requests per sync | worker mode: items / read units / requests per sync |
                |---|---|---|---|---|
                """);
        for (Row row : rows) {
            markdown.append(String.format(Locale.ROOT, "| %,d | %d | %s | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f |%n",
                    row.shards(), row.workers(), row.layout(), row.perLeaseItems(), row.perLeaseUnits(),
                    row.perLeaseRequests(), row.workerItems(), row.workerUnits(), row.workerRequests()));
        }
        Files.writeString(output.resolve("sync-reads.md"), markdown.toString());
    }

    /** In worker renewal mode, one heartbeat of each worker; nothing in per-lease mode. */
    private static void beat(List<LeaseStore> stores) {
        for (LeaseStore store : stores) {
            if (store.keepAlive() instanceof KeepAlive.ByHeartbeat heartbeats) {
                heartbeats.heartbeat(Duration.ofMinutes(1));
            }
        }
    }
}
