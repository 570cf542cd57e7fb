package dev.checkpoint.coordinator;

import static dev.checkpoint.coordinator.Cluster.LEASE;
import static dev.checkpoint.coordinator.Cluster.SYNC;
import static dev.checkpoint.coordinator.Cluster.await;
import static dev.checkpoint.coordinator.Cluster.pause;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.coordinator.Cluster.Worker;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Every setting changes what the coordinator does. */
class CoordinatorSettingsTests {

    @Test
    void renewIntervalSetsHowOftenLeasesAreRenewed() {
        try (Cluster cluster = new Cluster(2)) {
            Worker fast = cluster.start("fast", builder -> builder.renewInterval(Duration.ofMillis(100)));
            await(SYNC, () -> fast.owned() == 2);
            int before = fast.requests(CheckpointOperation.RENEW_LEASE);
            pause(Duration.ofSeconds(1));
            int fastRenewals = fast.requests(CheckpointOperation.RENEW_LEASE) - before;
            fast.coordinator().stop(Duration.ZERO);

            Worker slow = cluster.start("slow", builder -> builder.renewInterval(Duration.ofMillis(400)));
            await(SYNC.multipliedBy(2), () -> slow.owned() == 2);
            int slowBefore = slow.requests(CheckpointOperation.RENEW_LEASE);
            pause(Duration.ofSeconds(1));
            int slowRenewals = slow.requests(CheckpointOperation.RENEW_LEASE) - slowBefore;

            // 2 leases × 10 a second against 2 × 2.5: a quarter of the rate, whatever the machine's speed.
            assertThat(slowRenewals).isPositive();
            assertThat(fastRenewals).isGreaterThanOrEqualTo(2 * slowRenewals);
        }
    }

    @Test
    void syncIntervalSetsHowOftenTheTableIsScanned() {
        try (Cluster cluster = new Cluster(2)) {
            Worker often = cluster.start("often", builder -> builder.syncInterval(Duration.ofMillis(200)));
            Worker rarely = cluster.start("rarely", builder -> builder.syncInterval(Duration.ofSeconds(2)));
            pause(Duration.ofSeconds(2));

            int oftenScans = often.requests(CheckpointOperation.SCAN_LEASES);
            int rareScans = rarely.requests(CheckpointOperation.SCAN_LEASES);
            // every 200 ms against every 2 s, over the same 2 s
            assertThat(rareScans).isPositive();
            assertThat(oftenScans).isGreaterThanOrEqualTo(2 * rareScans);
        }
    }

    @Test
    void maxLeasesForWorkerCapsWhatOneWorkerHolds() {
        try (Cluster cluster = new Cluster(10)) {
            Worker capped = cluster.start("capped", builder -> builder.maxLeasesForWorker(3));

            await(SYNC, () -> capped.owned() == 3);
            pause(SYNC.multipliedBy(2));

            assertThat(capped.owned()).isEqualTo(3);
        }
    }

    @Test
    void maxLeasesToStealAtOneTimeBoundsTheClaimsOfOneSync() {
        assertThat(claimsInFirstSync(1)).isEqualTo(1);
        assertThat(claimsInFirstSync(6)).isEqualTo(6);
    }

    private static int claimsInFirstSync(int maxSteal) {
        try (Cluster cluster = new Cluster(12)) {
            Worker owner = cluster.start("owner");
            await(SYNC, () -> owner.owned() == 12);
            Worker thief = cluster.start("thief", builder -> builder.maxLeasesToStealAtOneTime(maxSteal)
                    .syncInterval(Duration.ofSeconds(30)));
            await(SYNC, () -> thief.requests(CheckpointOperation.SCAN_LEASES) >= 1);
            pause(Duration.ofMillis(300));
            return thief.requests(CheckpointOperation.CLAIM_SHARD);
        }
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

            assertThat(took).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
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
                .hasMessageContaining("renewInterval (PT0.5S) must be below half the lease duration");
        assertThatThrownBy(() -> LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(List::of)
                .listener(listener).maxLeasesForWorker(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLeasesForWorker");
        assertThatThrownBy(() -> LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(List::of)
                .listener(listener).syncInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syncInterval");
    }
}
