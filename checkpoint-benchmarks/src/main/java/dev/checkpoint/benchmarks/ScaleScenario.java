package dev.checkpoint.benchmarks;

import static dev.checkpoint.benchmarks.ResultTable.row;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RequestOutcome;
import dev.checkpoint.coordinator.Crashes;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.RequestCounter;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many shards over many workers on one DynamoDB server: how long the last worker to start waits for its share, how
 * many shards move, the requests each worker sends per second in steady state (every shard checkpointed at a fixed
 * interval), the cost per shard-month those requests come to, and the failover of a killed worker's shards.
 */
final class ScaleScenario {

    private static final Logger log = LoggerFactory.getLogger(ScaleScenario.class);

    /** DynamoDB on-demand prices used throughout docs/BENCHMARKS.md: dollars per million request units. */
    static final double WRITE_PRICE = 0.625;
    static final double READ_PRICE = 0.125;
    private static final double MONTH_SECONDS = 2_592_000;

    /** The run's size and timing. */
    record Settings(int shards, int workers, Duration lease, Duration sync, int maxStealAtOnce, Duration checkpointEvery,
            Duration steadyWindow, RenewalMode mode) {

        static Settings smoke(RenewalMode mode) {
            return new Settings(60, 3, Duration.ofSeconds(3), Duration.ofSeconds(1), 16, Duration.ofSeconds(2),
                    Duration.ofSeconds(2), mode);
        }

        static Settings full(RenewalMode mode) {
            return new Settings(2000, 16, Duration.ofSeconds(10), Duration.ofSeconds(5), 16, Duration.ofSeconds(10),
                    Duration.ofSeconds(60), mode);
        }
    }

    /**
     * What was measured.
     *
     * @param balanceAfterLast from the last worker's start until every worker held its share
     * @param movedToLast shards gained by any worker while balancing after the last worker started
     * @param writesPerWorker UpdateItem and PutItem requests per second per worker in steady state (all workers' mean)
     * @param readsPerWorker Scan, Query, GetItem and BatchGetItem requests per second per worker in steady state
     * @param readUnitsPerSync read units (consistent) one worker's sync costs in steady state, on average
     * @param scanPagesPerSync pages of full scans per sync in steady state (a worker-mode sync's page of its rotating
     *        read is not one): 1 when every sync scans
     * @param costPerShardMonth dollars per shard-month, from the steady state's counted requests and read units
     * @param failover from the kill of one worker until its shards were all held again
     */
    record Result(Settings settings, Duration balanceAfterLast, int movedToLast, double writesPerWorker,
            double readsPerWorker, double readUnitsPerSync, double scanPagesPerSync, double renewalsPerWorker,
            double checkpointsPerWorker,
            double costPerShardMonth, Duration failover, int killedShards) {
    }

    private final Settings settings;
    private final String table = TestDynamoDb.uniqueTableName("scale");
    private final List<Shard> shards;
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicInteger gains = new AtomicInteger();

    ScaleScenario(Settings settings) {
        this.settings = settings;
        this.shards = IntStream.range(0, settings.shards()).mapToObj(i -> Shard.of(String.format("shardId-%012d", i))).toList();
    }

    /** One worker: its coordinator, its request counter, and the handles it checkpoints. */
    private final class Worker implements LeaseListener {

        final LeaseCoordinator coordinator;
        final RequestCounter requests = new RequestCounter();
        final Map<String, OwnedShard> held = new ConcurrentHashMap<>();
        final AtomicInteger checkpoints = new AtomicInteger();
        /** Pages of full scans, as the checkpointer says (a worker-mode sync's page of its rotating read is not one). */
        final AtomicInteger fullScanPages = new AtomicInteger();
        volatile boolean alive = true;

        Worker(String id) {
            DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
                    .dynamoDbClient(TestDynamoDb.shared().newClient(requests)).tableName(table).workerId(id)
                    .renewalMode(settings.mode()).leaseDuration(settings.lease()).enableLeaseStealing(true)
                    .listener(new CheckpointListener() {
                        @Override
                        public void requestCompleted(CheckpointOperation operation, RequestOutcome outcome,
                                Duration latency) {
                            if (operation == CheckpointOperation.SCAN_LEASES) {
                                fullScanPages.incrementAndGet();
                            }
                        }
                    }).build();
            checkpointer.init();   // every worker before any starts: a loaded server must not fail a start-up
            coordinator = LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(() -> shards).listener(this)
                    .syncInterval(settings.sync()).maxLeasesToStealAtOneTime(settings.maxStealAtOnce()).build();
        }

        @Override
        public void leaseGained(OwnedShard shard) {
            gains.incrementAndGet();
            held.put(shard.shardId(), shard);
        }

        @Override
        public void leaseEnding(OwnedShard shard, EndReason reason) {
            held.remove(shard.shardId());
        }

        @Override
        public void leaseLost(OwnedShard shard) {
            held.remove(shard.shardId());
        }

        /** Checkpoints every shard it holds once: what an application checkpointing every interval sends. */
        void checkpointAll(long sequence) {
            for (OwnedShard shard : held.values()) {
                try {
                    shard.checkpoint(Long.toString(sequence));
                    checkpoints.incrementAndGet();
                }
                catch (LeaseLostException moved) {
                    // moved meanwhile: its new owner checkpoints it
                }
            }
        }
    }

    Result run() throws InterruptedException {
        try {
            for (int i = 1; i <= settings.workers(); i++) {
                workers.add(new Worker("worker-" + i));
            }
            for (Worker worker : workers.subList(0, settings.workers() - 1)) {
                worker.coordinator.start();
            }
            Waits.until("the scale scenario", Duration.ofMinutes(10), Duration.ofMillis(50),
                    () -> balanced(settings.workers() - 1));
            int gainsBefore = gains.get();
            long lastStarted = System.nanoTime();
            workers.get(settings.workers() - 1).coordinator.start();
            Waits.until("the scale scenario", Duration.ofMinutes(10), Duration.ofMillis(50),
                    () -> balanced(settings.workers()));
            Duration balance = Duration.ofNanos(System.nanoTime() - lastStarted);
            int moved = gains.get() - gainsBefore;
            log.info("Scale: {} shards balanced over {} workers {} after the last started; {} moved", settings.shards(),
                    settings.workers(), balance, moved);

            // The last hand-offs reach every worker at its next heartbeat and sync: the steady state starts after.
            TimeUnit.NANOSECONDS.sleep(settings.sync().multipliedBy(3).toNanos());
            workers.forEach(worker -> {
                worker.requests.reset();
                worker.fullScanPages.set(0);
            });
            workers.forEach(worker -> worker.checkpoints.set(0));
            long windowStart = System.nanoTime();
            long sequence = 1;
            ExecutorService processes = Executors.newFixedThreadPool(workers.size());
            while (System.nanoTime() - windowStart < settings.steadyWindow().toNanos()) {
                long roundStart = System.nanoTime();
                long round = sequence;
                // Each worker checkpoints its shards on a thread of its own, as separate processes would.
                List<Future<?>> rounds = new ArrayList<>();
                for (Worker worker : workers) {
                    rounds.add(processes.submit(() -> worker.checkpointAll(round)));
                }
                for (Future<?> each : rounds) {
                    try {
                        each.get();
                    }
                    catch (ExecutionException failed) {
                        throw new IllegalStateException("a checkpoint round failed", failed.getCause());
                    }
                }
                sequence++;
                long left = settings.checkpointEvery().toNanos() - (System.nanoTime() - roundStart);
                if (left > 0) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
            }
            processes.shutdown();
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            Map<String, Integer> counted = new TreeMap<>();
            workers.forEach(worker -> worker.requests.counts().forEach((operation, count) -> counted.merge(operation, count, Integer::sum)));
            int totalCheckpoints = workers.stream().mapToInt(worker -> worker.checkpoints.get()).sum();
            // Every row written is under 1 KB: one write unit a write.
            int writes = counted.getOrDefault("UpdateItem", 0) + counted.getOrDefault("PutItem", 0)
                    + counted.getOrDefault("DeleteItem", 0);
            int reads = counted.getOrDefault("Scan", 0) + counted.getOrDefault("Query", 0)
                    + counted.getOrDefault("GetItem", 0) + counted.getOrDefault("BatchGetItem", 0);
            double readUnits = workers.stream().mapToDouble(worker -> worker.requests.readUnits()).sum();
            double renewals = writes - totalCheckpoints;
            double perWorker = settings.workers() * seconds;
            double syncs = perWorker / (settings.sync().toNanos() / 1e9);
            double dollarsPerSecond = (writes * WRITE_PRICE + readUnits * READ_PRICE) / 1e6 / seconds;
            double costPerShardMonth = dollarsPerSecond * MONTH_SECONDS / settings.shards();
            log.info("Scale steady state over {} s: requests {} ({} checkpoints)", String.format(Locale.ROOT, "%.0f", seconds),
                    counted, totalCheckpoints);

            Worker victim = workers.get(0);
            Set<String> orphans = Set.copyOf(victim.coordinator.ownedShards());
            long killed = System.nanoTime();
            victim.alive = false;
            Crashes.kill(victim.coordinator);
            Waits.until("the scale scenario", settings.lease().plus(settings.sync()).multipliedBy(4), Duration.ofMillis(50),
                    () -> workers.stream().filter(worker -> worker.alive)
                    .mapToInt(worker -> (int) worker.coordinator.ownedShards().stream().filter(orphans::contains).count())
                    .sum() == orphans.size());
            Duration failover = Duration.ofNanos(System.nanoTime() - killed);
            return new Result(settings, balance, moved, writes / perWorker, reads / perWorker, readUnits / syncs,
                    workers.stream().mapToInt(worker -> worker.fullScanPages.get()).sum() / syncs,
                    renewals / perWorker, totalCheckpoints / perWorker, costPerShardMonth, failover, orphans.size());
        }
        finally {
            workers.stream().filter(worker -> worker.alive).forEach(worker -> worker.coordinator.stop(Duration.ofSeconds(2)));
        }
    }

    private boolean balanced(int count) {
        int total = 0;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (Worker worker : workers.subList(0, count)) {
            int owned = worker.coordinator.ownedShards().size();
            total += owned;
            min = Math.min(min, owned);
            max = Math.max(max, owned);
        }
        return total == settings.shards() && max - min <= 1;
    }

    /** Both modes' results side by side, into {@code scale.md}. */
    static void write(List<Result> results, Path output) throws IOException {
        Files.createDirectories(output);
        Settings s = results.get(0).settings();
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, """
                **Scale: %,d shards over %,d workers on one dynalite** (lease %d s, renew every lease ÷ 3, sync %d s, up to
                %d claims a sync; every shard checkpointed every %d s; steady state measured over %d s)

                | |""", s.shards(), s.workers(), s.lease().toSeconds(), s.sync().toSeconds(), s.maxStealAtOnce(),
                s.checkpointEvery().toSeconds(), s.steadyWindow().toSeconds()));
        results.forEach(result -> markdown.append(' ').append(result.settings().mode() == RenewalMode.LEASE
                ? "per-lease renewal" : "worker renewal").append(" |"));
        markdown.append("\n|---|").append("---|".repeat(results.size())).append('\n');
        row(markdown, "balanced after the " + s.workers() + "th worker started", results,
                r -> String.format(Locale.ROOT, "%.1f s (%.1f syncs)", r.balanceAfterLast().toMillis() / 1e3,
                        r.balanceAfterLast().toNanos() / (double) s.sync().toNanos()));
        row(markdown, "shards moved to balance (the last worker's share: " + s.shards() / s.workers() + ")", results,
                r -> String.format(Locale.ROOT, "%,d", r.movedToLast()));
        row(markdown, "writes per second per worker, steady state", results,
                r -> String.format(Locale.ROOT, "%.1f (renewals or heartbeats %.1f, checkpoints %.1f)", r.writesPerWorker(),
                        r.renewalsPerWorker(), r.checkpointsPerWorker()));
        row(markdown, "reads per second per worker, steady state", results,
                r -> String.format(Locale.ROOT, "%.2f requests", r.readsPerWorker()));
        row(markdown, "read units per sync per worker (" + s.shards() + " rows)", results,
                r -> String.format(Locale.ROOT, "%.1f", r.readUnitsPerSync()));
        row(markdown, "full scans per sync", results, r -> String.format(Locale.ROOT, "%.2f", r.scanPagesPerSync()));
        row(markdown, "cost per shard-month, from these requests", results,
                r -> String.format(Locale.ROOT, "**$%.3f**", r.costPerShardMonth()));
        row(markdown, "failover of a killed worker's shards (lease " + s.lease().toSeconds() + " s + sync "
                + s.sync().toSeconds() + " s)", results,
                r -> String.format(Locale.ROOT, "%.1f s (%,d shards)", r.failover().toMillis() / 1e3, r.killedShards()));
        Files.writeString(output.resolve("scale.md"), markdown.toString());
    }
}
