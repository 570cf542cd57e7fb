package dev.checkpoint.coordinator;

import static dev.checkpoint.coordinator.Cluster.LEASE;
import static dev.checkpoint.coordinator.Cluster.RENEW;
import static dev.checkpoint.coordinator.Cluster.SYNC;
import static dev.checkpoint.coordinator.Cluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.ResetRequest;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.coordinator.Cluster.Worker;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every scenario of {@link LeaseCoordinatorTests} again, in worker renewal mode (one heartbeat per worker instead of a
 * renewal per lease), with the same bounds; and what only this mode does.
 */
class WorkerModeCoordinatorTests extends LeaseCoordinatorTests {

    private static final Logger log = LoggerFactory.getLogger(WorkerModeCoordinatorTests.class);

    @Override
    Cluster cluster(int shards) {
        return new Cluster(shards, RenewalMode.WORKER);
    }

    /**
     * No renewal reads a lease's row in this mode: a row deleted under its owner is found by a full scan, at the latest
     * the tenth sync after (syncs read the heartbeats alone while nothing changed hands); the shard is then taken again
     * from a new row, under a new handle.
     */
    @Override
    @Test
    void lostLeaseIsReportedPromptlyAndNoLongerTreatedAsOwned() {
        try (Cluster cluster = cluster(3)) {
            Worker worker = cluster.start("worker", builder -> builder.syncInterval(RENEW));
            await(SYNC, () -> worker.listener().processing.containsKey("shardId-000000000000"));
            OwnedShard handle = worker.listener().processing.get("shardId-000000000000");

            TestDynamoDb.shared().newClient().deleteItem(delete -> delete.tableName(cluster.table)
                    .key(Map.of("ShardID", AttributeValue.fromS("shardId-000000000000"))));
            Duration took = await(RENEW.multipliedBy(12), () -> worker.listener().shards("lost").contains("shardId-000000000000"));

            log.info("measured: lost lease reported {} ms after the row was taken away (sync every {} ms)", took.toMillis(),
                    RENEW.toMillis());
            assertThat(handle.isHeld()).isFalse();
            assertThat(worker.listener().checkpoint(handle)).as("checkpoint after loss").isNull();
            await(SYNC, () -> worker.listener().events("gained").stream()
                    .filter(event -> event.shardId().equals("shardId-000000000000")).count() == 2);
        }
    }

    @Test
    void leasesAreKeptAliveByHeartbeatsAloneWhateverTheirNumber() {
        try (Cluster cluster = cluster(12)) {
            Worker worker = cluster.start("worker");
            await(SYNC, () -> worker.owned() == 12);
            worker.requests().clear();
            long start = System.nanoTime();

            Cluster.pause(LEASE.multipliedBy(3));

            long rounds = Duration.ofNanos(System.nanoTime() - start).toNanos() / RENEW.toNanos() + 1;
            assertThat(worker.owned()).isEqualTo(12);
            assertThat(worker.listener().events("lost")).isEmpty();
            assertThat(worker.requests(CheckpointOperation.RENEW_LEASE)).isZero();
            // one a renew interval, however many leases: a busy machine may run a round late, never one per lease
            assertThat(worker.requests(CheckpointOperation.HEARTBEAT)).as("heartbeats in %d rounds", rounds)
                    .isBetween(1, (int) rounds + 1);
        }
    }

    @Test
    void aRestartedWorkerTakesItsOwnLeasesBackWithoutWaitingForThemToExpire() {
        Duration lease = Duration.ofSeconds(6);   // long beside a start, even on a busy machine
        try (Cluster cluster = new Cluster(6, RenewalMode.WORKER, lease)) {
            Worker first = cluster.start("pod-0");
            await(SYNC, () -> first.owned() == 6 && first.listener().events("gained").size() == 6);
            first.coordinator().halt();

            long restart = System.nanoTime();
            Worker again = cluster.start("pod-0");
            Duration took = await(lease, () -> again.owned() == 6);

            log.info("measured: a restarted worker held its 6 leases again {} ms after its start (lease {} ms)",
                    Duration.ofNanos(System.nanoTime() - restart).toMillis(), lease.toMillis());
            assertThat(took).isLessThan(lease);
            await(SYNC, () -> again.listener().events("gained").size() == 6);
        }
    }

    @Test
    void aWorkerThatCannotRegisterAtStartRegistersOnceDynamoDbAnswersAndOnlyThenTakes() {
        try (Cluster cluster = cluster(4)) {
            Worker late = cluster.create("late", builder -> builder);
            late.faults().setUnreachable(true);

            late.coordinator().start();   // does not throw: it registers at a later round
            Cluster.pause(RENEW.multipliedBy(2));
            assertThat(late.owned()).isZero();

            late.faults().setUnreachable(false);
            await(SYNC.plus(LEASE).multipliedBy(2), () -> late.owned() == 4);
            assertThat(heartbeatRow(cluster, "late")).containsKey("WorkerEpoch");
        }
    }

    @Test
    void aDeadWorkerIsMarkedDeadOnceHoweverManyLeasesItHeld() {
        try (Cluster cluster = cluster(8)) {
            Worker doomed = cluster.start("doomed");
            await(SYNC, () -> doomed.owned() == 8);
            Worker survivor = cluster.start("survivor", builder -> builder.maxLeasesToStealAtOneTime(0));

            doomed.coordinator().halt();
            await(LEASE.plus(SYNC).multipliedBy(2), () -> survivor.owned() == 8);

            assertThat(survivor.requests(CheckpointOperation.EXPIRE_WORKER)).isEqualTo(1);
            assertThat(heartbeatRow(cluster, "doomed").get("WorkerEpoch").s()).startsWith("expired:");
        }
    }

    @Test
    void aStoppedWorkerRemovesItsHeartbeatRow() {
        try (Cluster cluster = cluster(2)) {
            Worker leaving = cluster.start("leaving");
            await(SYNC, () -> leaving.owned() == 2);
            assertThat(heartbeatRow(cluster, "leaving")).isNotEmpty();

            leaving.coordinator().stop(Duration.ofSeconds(2));

            assertThat(heartbeatRow(cluster, "leaving")).isEmpty();
        }
    }

    @Test
    void anOwnerLearnsOfAResetAtItsNextHeartbeatAndStartsAgainFromIt() {
        try (Cluster cluster = cluster(2)) {
            Worker worker = cluster.start("worker", builder -> builder.syncInterval(Duration.ofSeconds(30)));
            await(SYNC, () -> worker.listener().events("gained").size() == 2);

            worker.coordinator().reset(ResetRequest.allShards(StartingPosition.trimHorizon()));

            Duration took = await(RENEW.multipliedBy(4), () -> worker.listener().events("gained").size() == 4);
            log.info("measured: both shards started again from the reset {} ms after it was asked for", took.toMillis());
            assertThat(worker.listener().events("ending-reset")).hasSize(2);
            assertThat(worker.coordinator().ownedShards()).hasSize(2);
            Set<String> positions = Set.copyOf(worker.listener().processing.values().stream()
                    .map(shard -> String.valueOf(shard.startingPosition())).toList());
            assertThat(positions).containsExactly(StartingPosition.trimHorizon().toString());
        }
    }

    private static Map<String, AttributeValue> heartbeatRow(Cluster cluster, String workerId) {
        return TestDynamoDb.shared().newClient().getItem(get -> get.tableName(cluster.table).consistentRead(true)
                .key(Map.of("ShardID", AttributeValue.fromS("#worker#" + workerId)))).item();
    }
}
