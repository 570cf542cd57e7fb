package dev.checkpoint.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.checkpoint.coordinator.Crashes;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;

/**
 * The coordinator's scenarios, timed in lease durations and sync intervals so that the figures do not depend on
 * the machine: one worker taking many shards, balancing from one worker to eight, failover after a kill, and a
 * graceful hand-off.
 */
final class CoordinatorScenarios {

    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration SYNC = Duration.ofSeconds(1);

    /** One scenario's outcome. */
    record Outcome(String scenario, Duration took, String inUnits) {
    }

    private final int manyShards;
    private final int balancedShards;

    CoordinatorScenarios(int manyShards, int balancedShards) {
        this.manyShards = manyShards;
        this.balancedShards = balancedShards;
    }

    List<Outcome> run() throws InterruptedException {
        List<Outcome> outcomes = new ArrayList<>();
        try (Workers workers = new Workers(manyShards)) {
            LeaseCoordinator solo = workers.start("solo");
            Duration took = Waits.until("the scenario", SYNC.multipliedBy(30), Duration.ofMillis(10),
                    () -> solo.ownedShards().size() == manyShards);
            outcomes.add(new Outcome("one worker takes " + manyShards + " shards", took, syncs(took)));
        }
        try (Workers workers = new Workers(balancedShards)) {
            LeaseCoordinator first = workers.start("worker-1");
            Waits.until("the scenario", SYNC.multipliedBy(30), Duration.ofMillis(10),
                    () -> first.ownedShards().size() == balancedShards);
            for (int i = 2; i <= 8; i++) {
                workers.start("worker-" + i);
            }
            Duration took = Waits.until("the scenario", SYNC.multipliedBy(120), Duration.ofMillis(10),
                    () -> workers.balanced(balancedShards));
            outcomes.add(new Outcome(balancedShards + " shards balanced from 1 to 8 workers", took, syncs(took)));
        }
        try (Workers workers = new Workers(64)) {
            LeaseCoordinator doomed = workers.start("doomed");
            Waits.until("the scenario", SYNC.multipliedBy(10), Duration.ofMillis(10),
                    () -> doomed.ownedShards().size() == 64);
            LeaseCoordinator survivor = workers.start("survivor");
            Waits.until("the scenario", SYNC.multipliedBy(60), Duration.ofMillis(10),
                    () -> survivor.ownedShards().size() == 32 && doomed.ownedShards().size() == 32);
            Crashes.kill(doomed);
            Duration took = Waits.until("the scenario", LEASE.plus(SYNC).multipliedBy(3), Duration.ofMillis(10),
                    () -> survivor.ownedShards().size() == 64);
            outcomes.add(new Outcome("failover of 32 shards after a kill", took, leasesAndSyncs(took)));
        }
        try (Workers workers = new Workers(64)) {
            LeaseCoordinator leaving = workers.start("leaving");
            Waits.until("the scenario", SYNC.multipliedBy(10), Duration.ofMillis(10),
                    () -> leaving.ownedShards().size() == 64);
            LeaseCoordinator staying = workers.start("staying", 0);
            long start = System.nanoTime();
            leaving.stop(Duration.ofSeconds(5));
            Duration took = Waits.until("the scenario", LEASE.plus(SYNC).multipliedBy(3), Duration.ofMillis(10),
                    () -> staying.ownedShards().size() == 64);
            took = Duration.ofNanos(System.nanoTime() - start);
            outcomes.add(new Outcome("graceful hand-off of 64 shards (stop to all taken)", took, leasesAndSyncs(took)));
        }
        return outcomes;
    }

    private static String syncs(Duration took) {
        return String.format(Locale.ROOT, "%.2f sync intervals", took.toNanos() / (double) SYNC.toNanos());
    }

    private static String leasesAndSyncs(Duration took) {
        return String.format(Locale.ROOT, "%.2f × (lease + sync)", took.toNanos() / (double) LEASE.plus(SYNC).toNanos());
    }

    /** Coordinators sharing one fresh table. */
    private static final class Workers implements AutoCloseable {

        private final String table = TestDynamoDb.uniqueTableName("scenario");
        private final List<Shard> shards;
        private final List<LeaseCoordinator> coordinators = new ArrayList<>();

        Workers(int shardCount) {
            shards = IntStream.range(0, shardCount).mapToObj(i -> Shard.of(String.format("shardId-%012d", i))).toList();
        }

        LeaseCoordinator start(String id) {
            return start(id, 32);
        }

        LeaseCoordinator start(String id, int maxToStealAtOnce) {
            DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
                    .dynamoDbClient(TestDynamoDb.shared().newClient()).tableName(table).workerId(id)
                    .leaseDuration(LEASE).enableLeaseStealing(true).build();
            checkpointer.init();
            LeaseCoordinator coordinator = LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(() -> shards)
                    .listener(new Idle()).syncInterval(SYNC).maxLeasesToStealAtOneTime(maxToStealAtOnce).build();
            coordinator.start();
            coordinators.add(coordinator);
            return coordinator;
        }

        boolean balanced(int shardCount) {
            int total = 0;
            int min = Integer.MAX_VALUE;
            int max = 0;
            for (LeaseCoordinator coordinator : coordinators) {
                int owned = coordinator.ownedShards().size();
                total += owned;
                min = Math.min(min, owned);
                max = Math.max(max, owned);
            }
            return total == shardCount && max - min <= 1;
        }

        @Override
        public void close() {
            for (LeaseCoordinator coordinator : coordinators) {
                try {
                    Crashes.kill(coordinator);
                }
                catch (RuntimeException alreadyStopped) {
                    // stopped by the scenario
                }
            }
        }
    }

    /** A listener with nothing to do: the scenarios time the leases, not the processing. */
    private static final class Idle implements LeaseListener {

        @Override
        public void leaseGained(OwnedShard shard) {
        }

        @Override
        public void leaseEnding(OwnedShard shard, EndReason reason) {
        }

        @Override
        public void leaseLost(OwnedShard shard) {
        }
    }
}
