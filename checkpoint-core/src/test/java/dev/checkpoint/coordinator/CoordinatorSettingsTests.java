package dev.checkpoint.coordinator;

import static dev.checkpoint.coordinator.Cluster.LEASE;
import static dev.checkpoint.coordinator.Cluster.SYNC;
import static dev.checkpoint.coordinator.Cluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.Lease;
import dev.checkpoint.coordinator.Cluster.Worker;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.memory.InMemoryLeaseStore;
import dev.checkpoint.memory.InMemoryLeaseTable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Every setting changes what the coordinator does: intervals and limits counted exactly on the in-memory store with a
 * manual clock; the shutdown grace, which is about real waiting, on dynalite with real threads.
 */
class CoordinatorSettingsTests {

    private static final Duration MANUAL_LEASE = Duration.ofSeconds(10);

    private final ManualScheduler scheduler = new ManualScheduler();
    private final List<LeaseCoordinator> coordinators = new ArrayList<>();

    @Test
    void renewIntervalSetsHowOftenLeasesAreRenewed() {
        InMemoryLeaseStore fast = startOnManualClock("fast", 2, builder -> builder.renewInterval(Duration.ofSeconds(1)));
        InMemoryLeaseStore slow = startOnManualClock("slow", 2, builder -> builder.renewInterval(Duration.ofSeconds(4)));

        scheduler.advance(Duration.ofMinutes(1));

        // two leases each: one renewal a second against one every 4 seconds
        assertThat(fast.calls(CheckpointOperation.RENEW_LEASE)).isEqualTo(2 * 60);
        assertThat(slow.calls(CheckpointOperation.RENEW_LEASE)).isEqualTo(2 * 15);
    }

    @Test
    void syncIntervalSetsHowOftenTheTableIsScanned() {
        InMemoryLeaseStore often = startOnManualClock("often", 2, builder -> builder.syncInterval(Duration.ofSeconds(2)));
        InMemoryLeaseStore rarely = startOnManualClock("rarely", 2, builder -> builder.syncInterval(Duration.ofSeconds(20)));

        scheduler.advance(Duration.ofMinutes(1));

        // one at start, then one every interval
        assertThat(often.calls(CheckpointOperation.SCAN_LEASES)).isEqualTo(31);
        assertThat(rarely.calls(CheckpointOperation.SCAN_LEASES)).isEqualTo(4);
    }

    @Test
    void maxLeasesForWorkerCapsWhatOneWorkerHolds() {
        InMemoryLeaseStore capped = startOnManualClock("capped", 10, builder -> builder.maxLeasesForWorker(3));

        scheduler.advance(Duration.ofMinutes(1));

        assertThat(coordinators.get(0).ownedShards()).hasSize(3);
        assertThat(capped.scan()).filteredOn(Lease::isOwned).hasSize(3);
    }

    @Test
    void maxLeasesToStealAtOneTimeBoundsTheClaimsOfOneSync() {
        assertThat(claimsInFirstSync(1)).isEqualTo(1);
        assertThat(claimsInFirstSync(6)).isEqualTo(6);
    }

    private int claimsInFirstSync(int maxSteal) {
        ManualScheduler own = new ManualScheduler();
        InMemoryLeaseTable ownTable = new InMemoryLeaseTable();
        List<Shard> shards = IntStream.range(0, 12).mapToObj(i -> Shard.of("shardId-" + i)).toList();
        start(own, new InMemoryLeaseStore(ownTable, "owner", LEASE, true, own.clock()), shards, builder -> builder);
        own.advance(Duration.ZERO);
        InMemoryLeaseStore thief = start(own, new InMemoryLeaseStore(ownTable, "thief", LEASE, true, own.clock()), shards,
                builder -> builder.maxLeasesToStealAtOneTime(maxSteal));
        own.advance(Duration.ZERO);
        return thief.calls(CheckpointOperation.CLAIM_SHARD);
    }

    /** A worker alone on a table of its own, on the shared manual clock. */
    private InMemoryLeaseStore startOnManualClock(String workerId, int shardCount, UnaryOperator<LeaseCoordinator.Builder> settings) {
        List<Shard> shards = IntStream.range(0, shardCount).mapToObj(i -> Shard.of("shardId-" + i)).toList();
        return start(scheduler, new InMemoryLeaseStore(new InMemoryLeaseTable(), workerId, MANUAL_LEASE, false, scheduler.clock()), shards,
                settings);
    }

    private InMemoryLeaseStore start(ManualScheduler on, InMemoryLeaseStore store, List<Shard> shards,
            UnaryOperator<LeaseCoordinator.Builder> settings) {
        LeaseCoordinator coordinator = on.drive(settings.apply(LeaseCoordinator.builder().leaseStore(store)
                .shardSource(() -> shards).listener(new RecordingListener(store.workerId())))).build();
        coordinators.add(coordinator);
        coordinator.start();
        return store;
    }

    @Test
    void shutdownGraceBoundsTheWaitForASlowListener() {
        try (Cluster cluster = new Cluster(2)) {
            Worker slow = cluster.create("slow", builder -> builder.shutdownGrace(Duration.ofMillis(300)));
            slow.listener().blockOnEnding = Duration.ofSeconds(5);
            slow.coordinator().start();
            await(SYNC, () -> slow.owned() == 2);

            long start = System.nanoTime();
            slow.coordinator().stop();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // at least the grace, and not the listener's 5 s: the grace bounds the wait, however busy the machine
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(slow.listener().blockOnEnding);
            assertThat(slow.checkpointer().listLeases()).allMatch(lease -> lease.owner() == null);
        }
    }

    @Test
    void shutdownGraceLetsAListenerFinish() {
        try (Cluster cluster = new Cluster(2)) {
            Worker patient = cluster.create("patient", builder -> builder.shutdownGrace(Duration.ofSeconds(3)));
            patient.listener().blockOnEnding = Duration.ofMillis(1500);
            patient.coordinator().start();
            await(SYNC, () -> patient.owned() == 2);

            patient.coordinator().stop();

            assertThat(patient.listener().events("ending-shutdown")).hasSize(2)
                    .allMatch(event -> event.checkpoint() != null);
        }
    }

    @Test
    void renewIntervalMustBeWellBelowTheLeaseDuration() {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
                .dynamoDbClient(DynamoDbClient.builder().region(Region.US_EAST_1).build())
                .tableName("leases").workerId("worker").leaseDuration(LEASE).build();
        LeaseListener listener = new RecordingListener("worker");

        assertThatThrownBy(() -> LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(List::of)
                .listener(listener).renewInterval(Duration.ofMillis(500)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("renewInterval must be below half of leaseDuration (PT1S)");
        assertThatThrownBy(() -> LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(List::of)
                .listener(listener).maxLeasesForWorker(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLeasesForWorker");
        assertThatThrownBy(() -> LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(List::of)
                .listener(listener).syncInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncInterval");
    }

    @Test
    void renewalThreadsMustBeAtLeastOneAndVirtualThreadsMustBeVirtual() {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
                .dynamoDbClient(DynamoDbClient.builder().region(Region.US_EAST_1).build())
                .tableName("leases").workerId("worker").leaseDuration(LEASE).build();
        LeaseListener listener = new RecordingListener("worker");

        assertThatThrownBy(() -> LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(List::of)
                .listener(listener).maxRenewalThreads(0).build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("maxRenewalThreads");
        // on Java 17 there are none; on Java 21 and later, a factory of platform threads is not one
        assertThatThrownBy(() -> LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(List::of)
                .listener(listener).virtualThreads(new DaemonThreadFactory("platform")).build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("virtualThreads")
                .hasMessageContaining(Runtime.version().feature() >= 21 ? "not platform threads" : "need Java 21");
    }
}
