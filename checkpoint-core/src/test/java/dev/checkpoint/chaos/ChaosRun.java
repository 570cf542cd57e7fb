package dev.checkpoint.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointException;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.chaos.ChaosWorker.Timing;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A chaos run: workers share shards on a DynamoDB server while a seeded scheduler injects faults; then the faults
 * stop, recovery is timed, every worker stops, and the recorded history is checked. The sequence of faults is
 * reproducible from the seed; the interleaving of threads is not.
 */
final class ChaosRun implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChaosRun.class);

    static final Timing TIMING = new Timing(Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(1),
            Duration.ofMillis(300), 2, Duration.ofMillis(200));
    private static final Duration SERVER_RESTART_SPACING = Duration.ofSeconds(15);

    /** What to run: how many workers and shards, for how long, and the seed of the faults. */
    record Settings(int workers, int shards, Duration duration, long seed, RenewalMode mode) {

        Settings {
            if (workers < 2 || shards < 1) {
                throw new IllegalArgumentException("a chaos run needs at least 2 workers and 1 shard");
            }
        }

        /** The defaults, unless the system properties chaos.workers, chaos.shards, chaos.duration or chaos.seed say otherwise. */
        static Settings fromSystemProperties(int workers, int shards, Duration duration, RenewalMode mode) {
            return new Settings(Integer.getInteger("chaos.workers", workers), Integer.getInteger("chaos.shards", shards),
                    Duration.parse(System.getProperty("chaos.duration", duration.toString())),
                    Long.getLong("chaos.seed", new Random().nextLong()), mode);
        }
    }

    private final Settings settings;
    private final MonotonicClock clock = MonotonicClock.SYSTEM;
    private final Random random;
    private final History history = new History();
    private final LocalAwsServer ownServer;
    private final TestDynamoDb server;
    private final String table = TestDynamoDb.uniqueTableName("chaos");
    private final List<Shard> shards;
    private final ChaosWorker[] slots;
    private final int[] incarnations;
    private final long[] replaceAtNanos;
    private final List<ChaosWorker> everyWorker = new ArrayList<>();
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private long lastServerRestartNanos;
    /** The operator's view of the table, through a client of its own without faults. */
    private LeaseStore operator;

    ChaosRun(Settings settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        if (TestDynamoDb.shared().isDynalite()) {
            ownServer = LocalAwsServer.start(LocalAwsServer.Kind.DYNALITE, "--path",
                    LocalAwsServer.newDataDirectory("chaos-dynalite").toString());
            server = TestDynamoDb.of(ownServer);
        }
        else {
            ownServer = null;   // another server: everything but its restarts
            server = TestDynamoDb.shared();
        }
        shards = IntStream.range(0, settings.shards()).mapToObj(i -> Shard.of(String.format("shardId-%012d", i))).toList();
        slots = new ChaosWorker[settings.workers()];
        incarnations = new int[settings.workers()];
        replaceAtNanos = new long[settings.workers()];
        lastServerRestartNanos = clock.nanoTime() - SERVER_RESTART_SPACING.toNanos();
    }

    ChaosReport run() throws InterruptedException {
        log.info("Chaos run: {} workers, {} shards, {} of faults, seed {} (replay with -Dchaos.seed={})",
                settings.workers(), settings.shards(), settings.duration(), settings.seed(), settings.seed());
        try (DynamoDbClient client = server.newClient()) {   // default timeouts: a cold JVM's first request is slow
            DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(table).workerId("setup").build().init();
        }
        operator = DynamoDbCheckpointer.builder().dynamoDbClient(server.newClient()).tableName(table).workerId("operator").renewalMode(settings.mode())
                .requestTimeout(TIMING.requestTimeout()).retries(TIMING.retries()).build().leaseStore();
        for (int slot = 0; slot < slots.length; slot++) {
            startWorker(slot);
        }
        await(TIMING.sync().multipliedBy(5), this::everyShardOwnedOnce);
        long faultsEnd = clock.nanoTime() + settings.duration().toNanos();
        List<Fault> firstRound = new ArrayList<>(List.of(Fault.values()));
        Collections.shuffle(firstRound, random);   // every kind at least once, in a seeded order
        while (clock.nanoTime() < faultsEnd || !firstRound.isEmpty()) {   // the first round always completes
            TimeUnit.MILLISECONDS.sleep(300 + random.nextInt(900));
            replaceKilledWorkers(false);
            inject(firstRound.isEmpty() ? pickFault() : firstRound.remove(0));
        }
        long stoppedAt = stopFaults();
        Duration recovery = await(TIMING.lease().plus(TIMING.sync()).multipliedBy(3), this::everyShardOwnedOnce);
        Duration balancing = recovery == null ? null : await(TIMING.lease().plus(TIMING.sync().multipliedBy(6)),
                () -> everyShardOwnedOnce() && balanced());
        log.info("Faults stopped; every shard owned again after {}, balanced after {}", recovery,
                balancing == null ? "(never)" : Duration.ofNanos(clock.nanoTime() - stoppedAt));
        boolean balanced = balancing != null;
        // each owner learns of a reset at its next renewal, stops, and takes the lease again, which applies it
        await(TIMING.lease().plus(TIMING.sync()).multipliedBy(2), () -> resetsPending() == 0);
        int resetsPending = resetsPending();
        stopEveryWorker();
        Map<String, Long> stored = storedCheckpoints();
        // A dead owner's last renewal is seen at the next scan, at most a sync later, and judged expired a lease after
        // that; then the take, one request, lands. The scan and the take are requests of their own, each done within
        // the request timeout once the faults have stopped: the bound counts one for them, on top of lease and sync.
        // That bound is held on any machine on the manual clock (CoordinatorOnInMemoryStoreTests); here, on real
        // threads, the long runs of record (-Pchaos) hold it, and the short run of every build, which a busy machine
        // can slow past it, holds what must happen: every shard owned again within three leases and syncs.
        Duration bound = Boolean.getBoolean("chaos.strictLiveness")
                ? TIMING.lease().plus(TIMING.sync()).plus(TIMING.requestTimeout())
                : TIMING.lease().plus(TIMING.sync()).multipliedBy(3);
        List<String> violations = new HistoryChecker(TIMING.requestTimeout().plusMillis(250))
                .check(history, stored, recovery, bound, balanced, resetsPending);
        return new ChaosReport(settings, injected, history, everyWorker, recovery, bound, balanced, violations);
    }

    private Fault pickFault() {
        List<Fault> candidates = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            for (int i = 0; i < fault.weight(); i++) {
                candidates.add(fault);
            }
        }
        return candidates.get(random.nextInt(candidates.size()));
    }

    private void inject(Fault fault) throws InterruptedException {
        List<Integer> alive = IntStream.range(0, slots.length).filter(slot -> slots[slot].isAlive()).boxed().toList();
        ChaosWorker victim = slots[alive.get(random.nextInt(alive.size()))];
        Duration lease = TIMING.lease();
        switch (fault) {
            case KILL -> {
                if (alive.size() < 2) {
                    return;   // keep one worker up; the others come back soon
                }
                victim.kill();
                int slot = List.of(slots).indexOf(victim);
                replaceAtNanos[slot] = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000 + random.nextInt(3000));
            }
            case FREEZE -> {
                Duration frozen = Duration.ofMillis((long) (lease.toMillis() * (1.2 + 1.8 * random.nextDouble())));
                long from = clock.nanoTime();
                victim.freeze(frozen);
                history.freezes.add(new History.Freeze(victim.id(), from, from + frozen.toNanos()));
            }
            case SKEW_CLOCK -> victim.wallClock().shiftTo(Duration.ofMillis(
                    (long) (lease.toMillis() * 10 * (random.nextDouble() - 0.5))));
            case THROTTLE -> victim.faults().throttleNext(5 + random.nextInt(36));
            case TIMEOUTS -> victim.faults().pause(TIMING.requestTimeout().plusMillis(50 + random.nextInt(250)));
            case LOST_RESPONSES -> victim.faults().loseNextResponses(1 + random.nextInt(5));
            case RESET -> {
                if (!reset()) {
                    return;
                }
            }
            case RESTART_DYNAMODB -> {
                if (ownServer == null || clock.nanoTime() - lastServerRestartNanos < SERVER_RESTART_SPACING.toNanos()) {
                    return;
                }
                ownServer.crash();
                TimeUnit.MILLISECONDS.sleep(500 + random.nextInt(2500));
                ownServer.restart();
                lastServerRestartNanos = clock.nanoTime();
            }
        }
        injected.merge(fault, 1, Integer::sum);
        log.info("fault: {} on {}", fault, fault == Fault.RESTART_DYNAMODB ? "dynalite" : victim.id());
    }

    /**
     * An operator resets a random shard: to the trim horizon, or to a sequence number (a value) below or above its
     * progress. {@code false} when DynamoDB did not answer (a restart under way): the reset may or may not be written,
     * so it is recorded as sent until the end of the run.
     */
    private boolean reset() {
        String shard = shards.get(random.nextInt(shards.size())).id();
        boolean trimHorizon = random.nextInt(3) == 0;
        long value = trimHorizon ? 1 : 1 + random.nextInt(2000);
        StartingPosition to = trimHorizon ? StartingPosition.trimHorizon() : StartingPosition.atSequenceNumber(Long.toString(value));
        long sent = clock.nanoTime();
        try {
            operator.requestReset(shard, to, "chaos");
            history.resets.add(new History.Reset(shard, value, sent, clock.nanoTime()));
            return true;
        }
        catch (CheckpointException unknown) {
            history.resets.add(new History.Reset(shard, value, sent, Long.MAX_VALUE));
            return false;
        }
    }

    private int resetsPending() {
        try {
            return (int) operator.scan().stream().filter(Lease::hasPendingReset).count();
        }
        catch (CheckpointException unreadable) {
            return Integer.MAX_VALUE;
        }
    }

    /** Ends every fault in progress and brings back every killed worker; returns when that was. */
    private long stopFaults() {
        for (ChaosWorker worker : slots) {
            if (worker.isAlive()) {
                worker.clearFaults();
            }
        }
        replaceKilledWorkers(true);
        return clock.nanoTime();
    }

    private void replaceKilledWorkers(boolean all) {
        for (int slot = 0; slot < slots.length; slot++) {
            if (!slots[slot].isAlive() && (all || clock.nanoTime() - replaceAtNanos[slot] >= 0)) {
                startWorker(slot);
            }
        }
    }

    private void startWorker(int slot) {
        String id = "w" + slot + "." + ++incarnations[slot];
        // In worker renewal mode a replacement restarts under the same worker id, as a pod does: a new epoch.
        String tableId = settings.mode() == RenewalMode.WORKER ? "w" + slot : id;
        Duration skew = Duration.ofMillis((long) (TIMING.lease().toMillis() * 10 * (random.nextDouble() - 0.5)));
        ChaosWorker worker = new ChaosWorker(id, tableId, settings.mode(), server, table, () -> shards, TIMING, skew,
                random.nextLong(), history, clock);
        slots[slot] = worker;
        everyWorker.add(worker);
        worker.start();
    }

    private boolean everyShardOwnedOnce() {
        int total = 0;
        Set<String> owned = new HashSet<>();
        for (ChaosWorker worker : slots) {
            if (worker.isAlive()) {
                Set<String> mine = worker.coordinator().ownedShards();
                total += mine.size();
                owned.addAll(mine);
            }
        }
        return total == shards.size() && owned.size() == shards.size();
    }

    private boolean balanced() {
        IntSummaryStatistics counts = Arrays.stream(slots).filter(ChaosWorker::isAlive)
                .mapToInt(worker -> worker.coordinator().ownedShards().size()).summaryStatistics();
        return counts.getMax() - counts.getMin() <= 1;
    }

    private void stopEveryWorker() throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (ChaosWorker worker : slots) {
            Thread thread = new Thread(worker::stop, "stop-" + worker.id());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            thread.join();
        }
        for (ChaosWorker worker : everyWorker) {
            worker.awaitShardThreads(Duration.ofSeconds(5));
        }
    }

    private Map<String, Long> storedCheckpoints() {
        Map<String, Long> stored = new HashMap<>();
        try (DynamoDbClient client = server.newClient()) {
            client.scanPaginator(scan -> scan.tableName(table).consistentRead(true)).items().forEach(item -> {
                AttributeValue checkpoint = item.get(CheckpointConstants.SEQUENCE_NUMBER_KEY);
                if (checkpoint != null) {
                    stored.put(item.get(CheckpointConstants.LEASE_KEY_KEY).s(), Long.parseLong(checkpoint.s()));
                }
            });
        }
        return stored;
    }

    /** How long {@code condition} took to hold, or {@code null} when it did not within {@code limit}. */
    private Duration await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long start = clock.nanoTime();
        while (!condition.getAsBoolean()) {
            if (clock.nanoTime() - start > limit.toNanos()) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return Duration.ofNanos(clock.nanoTime() - start);
    }

    @Override
    public void close() {
        for (ChaosWorker worker : everyWorker) {
            if (worker.isAlive()) {
                worker.kill();
            }
        }
        if (ownServer != null) {
            ownServer.close();
        }
    }
}
