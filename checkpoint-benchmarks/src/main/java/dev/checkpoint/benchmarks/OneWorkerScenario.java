package dev.checkpoint.benchmarks;

import static dev.checkpoint.benchmarks.ResultTable.row;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.checkpoint.LeaseLostException;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.coordinator.Crashes;
import dev.checkpoint.coordinator.DaemonThreadFactory;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.RenewalThreads;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import dev.checkpoint.testsupport.VirtualThreadFactories;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many shards on one worker, on one DynamoDB server: how long it takes them all, the platform threads and heap it
 * then uses, whether its renewals kept up while every shard was checkpointed at a steady rate (leases lost: none may
 * be), and how long a second worker takes to have them all after the first is killed. On platform threads, or on
 * virtual threads (Java 21 and later).
 */
final class OneWorkerScenario {

    private static final Logger log = LoggerFactory.getLogger(OneWorkerScenario.class);
    /** Threads that checkpoint, as an application's processors would: the same number whatever the shards. */
    private static final int PROCESSORS = 8;

    /** The run's size and timing, and its threads. */
    record Settings(int shards, Duration lease, Duration sync, Duration checkpointEvery, Duration steadyWindow,
            RenewalMode mode, boolean virtualThreads, boolean failover) {

        /** Small, in every build: no failover, which only waits out a lease. */
        static Settings smoke(int shards, boolean virtualThreads) {
            return new Settings(shards, Duration.ofSeconds(3), Duration.ofSeconds(1), Duration.ofSeconds(1),
                    Duration.ofSeconds(1), RenewalMode.LEASE, virtualThreads, false);
        }

        static Settings full(RenewalMode mode, boolean virtualThreads) {
            return new Settings(1000, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
                    Duration.ofSeconds(60), mode, virtualThreads, true);
        }
    }

    /**
     * What was measured.
     *
     * @param takeAll from the start until the worker held every shard
     * @param platformThreadsAdded live platform threads in steady state, most seen, beyond those before the worker
     * @param renewalThreads the renewal threads at the end of the steady state
     * @param mostRenewalsQueued most renewals seen waiting for a thread at once
     * @param heapPerShardBytes heap in use after a collection in steady state, beyond that before, per shard held
     * @param checkpoints checkpoints written in the steady state
     * @param cpuMillisPerSecond this process's CPU time per second of steady state
     * @param leasesLost leases the worker lost while nothing failed: must be 0
     * @param failover from the kill of the worker until a second worker held every shard; {@code null} when not run
     */
    record Result(Settings settings, Duration takeAll, int platformThreadsAdded, RenewalThreads renewalThreads,
            int mostRenewalsQueued, long heapPerShardBytes, int checkpoints, double cpuMillisPerSecond, int leasesLost,
            @Nullable Duration failover) {
    }

    private final Settings settings;
    private final String table = TestDynamoDb.uniqueTableName("oneworker");
    private final List<Shard> shards;
    private final AtomicInteger lost = new AtomicInteger();

    OneWorkerScenario(Settings settings) {
        this.settings = settings;
        this.shards = IntStream.range(0, settings.shards()).mapToObj(i -> Shard.of(String.format("shardId-%012d", i)))
                .toList();
    }

    /** A worker that records the shards it holds and counts those it loses. */
    private final class Worker implements LeaseListener {

        final Map<String, OwnedShard> held = new ConcurrentHashMap<>();
        final LeaseCoordinator coordinator;
        final boolean counted;

        Worker(String id, boolean counted) {
            this.counted = counted;
            DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
                    .dynamoDbClient(TestDynamoDb.shared().newClient()).tableName(table).workerId(id)
                    .renewalMode(settings.mode()).leaseDuration(settings.lease()).build();
            checkpointer.init();
            LeaseCoordinator.Builder builder = LeaseCoordinator.builder().checkpointer(checkpointer)
                    .shardSource(() -> shards).listener(this).syncInterval(settings.sync());
            if (settings.virtualThreads()) {
                builder.virtualThreads(VirtualThreadFactories.named("checkpoint-" + id + "-"));
            }
            coordinator = builder.build();
        }

        @Override
        public void leaseGained(OwnedShard shard) {
            held.put(shard.shardId(), shard);
        }

        @Override
        public void leaseEnding(OwnedShard shard, EndReason reason) {
            held.remove(shard.shardId());
        }

        @Override
        public void leaseLost(OwnedShard shard) {
            held.remove(shard.shardId());
            if (counted) {
                lost.incrementAndGet();
            }
        }
    }

    Result run() throws InterruptedException {
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = ProcessMeasures.heapAfterCollection();
        Worker worker = new Worker("solo", true);
        Worker successor = null;
        ExecutorService processors = Executors.newFixedThreadPool(PROCESSORS, new DaemonThreadFactory("processor"));
        try {
            long started = System.nanoTime();
            worker.coordinator.start();
            Waits.until("the one-worker scenario", settings.lease().multipliedBy(30), Duration.ofMillis(20),
                    () -> worker.held.size() == settings.shards());
            Duration takeAll = Duration.ofNanos(System.nanoTime() - started);
            log.info("One worker: {} shards taken in {}", settings.shards(), takeAll);

            AtomicInteger checkpoints = new AtomicInteger();
            int mostThreads = 0;
            int mostQueued = 0;
            long cpuBefore = ProcessMeasures.processCpuNanos();
            long windowStart = System.nanoTime();
            long sequence = 1;
            while (System.nanoTime() - windowStart < settings.steadyWindow().toNanos()) {
                long roundStart = System.nanoTime();
                String position = Long.toString(sequence++);
                for (OwnedShard shard : worker.held.values()) {
                    processors.execute(() -> {
                        try {
                            shard.checkpoint(position);
                            checkpoints.incrementAndGet();
                        }
                        catch (LeaseLostException notHeld) {
                            // counted by the listener, if it was a loss
                        }
                    });
                }
                while (System.nanoTime() - roundStart < settings.checkpointEvery().toNanos()) {
                    mostThreads = Math.max(mostThreads, ManagementFactory.getThreadMXBean().getThreadCount());
                    mostQueued = Math.max(mostQueued, worker.coordinator.renewalThreads().queued());
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            double cpuMillisPerSecond = (ProcessMeasures.processCpuNanos() - cpuBefore) / 1e6 / seconds;
            long heapPerShard = Math.max(0, ProcessMeasures.heapAfterCollection() - heapBefore) / settings.shards();
            RenewalThreads renewalThreads = worker.coordinator.renewalThreads();
            int leasesLost = lost.get();
            if (!settings.failover()) {
                return new Result(settings, takeAll, mostThreads - threadsBefore, renewalThreads, mostQueued,
                        heapPerShard, checkpoints.get(), cpuMillisPerSecond, leasesLost, null);
            }

            Crashes.kill(worker.coordinator);
            long killed = System.nanoTime();
            Worker next = new Worker("successor", false);
            successor = next;
            next.coordinator.start();
            Waits.until("the one-worker scenario", settings.lease().multipliedBy(30), Duration.ofMillis(20),
                    () -> next.held.size() == settings.shards());
            Duration failover = Duration.ofNanos(System.nanoTime() - killed);
            return new Result(settings, takeAll, mostThreads - threadsBefore, renewalThreads, mostQueued, heapPerShard,
                    checkpoints.get(), cpuMillisPerSecond, leasesLost, failover);
        }
        finally {
            processors.shutdownNow();
            if (successor != null) {
                successor.coordinator.stop(Duration.ofSeconds(2));
            }
            else {
                Crashes.kill(worker.coordinator);
            }
        }
    }

    /** The results side by side, into {@code one-worker-<java>.md}. */
    static void write(List<Result> results, Path output) throws IOException {
        Files.createDirectories(output);
        Settings s = results.get(0).settings();
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, """
                **Many shards on one worker, Java %d, one dynalite** (lease %d s, renew every lease ÷ 3, sync %d s;
                every shard checkpointed every %d s by %d processor threads; steady state over %d s)

                | |""", Runtime.version().feature(), s.lease().toSeconds(), s.sync().toSeconds(),
                s.checkpointEvery().toSeconds(), PROCESSORS, s.steadyWindow().toSeconds()));
        results.forEach(result -> markdown.append(String.format(Locale.ROOT, " %,d shards, %s renewal, %s threads |",
                result.settings().shards(), result.settings().mode() == RenewalMode.LEASE ? "per-lease" : "worker",
                result.settings().virtualThreads() ? "virtual" : "platform")));
        markdown.append("\n|---|").append("---|".repeat(results.size())).append('\n');
        row(markdown, "all shards taken after the start", results,
                r -> String.format(Locale.ROOT, "%.1f s", r.takeAll().toMillis() / 1e3));
        row(markdown, "platform threads added (most seen)", results, r -> Integer.toString(r.platformThreadsAdded()));
        row(markdown, "renewal threads", results, r -> r.renewalThreads().threads() + " "
                + r.renewalThreads().model() + " of at most " + r.renewalThreads().maxThreads());
        row(markdown, "renewals that waited for a thread; most queued at once; started late", results,
                r -> r.renewalThreads().waitedForAThread() + "; " + r.mostRenewalsQueued() + "; "
                        + r.renewalThreads().startedLate());
        row(markdown, "heap per shard held", results,
                r -> String.format(Locale.ROOT, "%.1f KB", r.heapPerShardBytes() / 1024.0));
        row(markdown, "CPU of this process, steady state", results,
                r -> String.format(Locale.ROOT, "%.0f ms/s (%,d checkpoints)", r.cpuMillisPerSecond(), r.checkpoints()));
        row(markdown, "leases lost", results, r -> "**" + r.leasesLost() + "**");
        row(markdown, "all shards held by a second worker after a kill", results,
                r -> r.failover() == null ? "not run" : String.format(Locale.ROOT, "%.1f s", r.failover().toMillis() / 1e3));
        Files.writeString(output.resolve("one-worker-java" + Runtime.version().feature() + ".md"), markdown.toString());
    }
}
