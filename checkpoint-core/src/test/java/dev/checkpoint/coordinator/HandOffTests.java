package dev.checkpoint.coordinator;

import static dev.checkpoint.coordinator.Cluster.LEASE;
import static dev.checkpoint.coordinator.Cluster.RENEW;
import static dev.checkpoint.coordinator.Cluster.SYNC;
import static dev.checkpoint.coordinator.Cluster.await;
import static dev.checkpoint.coordinator.Cluster.pause;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.Lease;
import dev.checkpoint.coordinator.Cluster.Worker;
import org.junit.jupiter.api.Test;

/** Hand-offs that do not come from a claim: an operator's release, a listener that gives a shard back or fails. */
class HandOffTests {

    private static final String SHARD = "shardId-000000000000";

    @Test
    void aReleaseBehindTheCoordinatorsBackIsALossNotUndoneByItsRenewals() {
        try (Cluster cluster = new Cluster(1)) {
            Worker worker = cluster.start("worker-1");
            await(SYNC, () -> worker.owned() == 1);
            long counterBefore = lease(cluster, worker).leaseCounter();

            worker.checkpointer().removeLeaseOwner(SHARD);   // what the endpoint used to do

            await(RENEW.multipliedBy(3), () -> worker.listener().shards("lost").contains(SHARD));
            // Before, the next renewal took the released row back (counter + 1) and the listener never heard of it.
            Lease released = lease(cluster, worker);
            assertThat(released.isOwned() && released.leaseCounter() == counterBefore + 2).isFalse();
        }
    }

    @Test
    void handOffEndsTheLeaseThroughTheListenerThenReleasesIt() throws Exception {
        try (Cluster cluster = new Cluster(1)) {
            Worker first = cluster.start("worker-1");
            await(SYNC, () -> first.owned() == 1);

            boolean released = first.coordinator().handOff(SHARD).get(5, TimeUnit.SECONDS);

            assertThat(released).isTrue();
            List<RecordingListener.Event> endings = first.listener().events("ending-requested");
            assertThat(endings).hasSize(1);
            Lease row = lease(cluster, first);
            assertThat(row.isOwned()).isFalse();
            assertThat(row.checkpoint()).isEqualTo(endings.get(0).checkpoint());
            assertThat(first.listener().events("lost")).isEmpty();

            // The balancer's choice takes it at once: a second worker, while the first leaves it alone.
            Worker second = cluster.start("worker-2");
            await(SYNC.multipliedBy(2), () -> second.listener().shards("gained").contains(SHARD), cluster::describe);
            assertThat(first.coordinator().ownedShards()).isEmpty();
        }
    }

    @Test
    void handOffOfAShardThisWorkerDoesNotHoldIsRefused() throws Exception {
        try (Cluster cluster = new Cluster(1)) {
            Worker worker = cluster.start("worker-1");
            await(SYNC, () -> worker.owned() == 1);

            assertThat(worker.coordinator().handOff("shardId-999").get(1, TimeUnit.SECONDS)).isFalse();
            assertThat(worker.owned()).isEqualTo(1);
        }
    }

    @Test
    void aListenerThatCannotStartAShardHandsItOff() {
        try (Cluster cluster = new Cluster(1)) {
            Worker failing = cluster.create("worker-1", builder -> builder.listener(new FailingListener()));
            failing.coordinator().start();
            await(SYNC, () -> failing.requests(dev.checkpoint.CheckpointOperation.RELEASE_LEASE) > 0, cluster::describe);
            Worker healthy = cluster.start("worker-2");

            await(SYNC.multipliedBy(2), () -> healthy.owned() == 1, cluster::describe);
            assertThat(lease(cluster, healthy).owner()).isEqualTo("worker-2");
            assertThat(failing.coordinator().ownedShards()).isEmpty();
        }
    }

    @Test
    void aListenerGivesAShardBackThroughOwnedShardRelease() {
        try (Cluster cluster = new Cluster(2)) {
            Worker worker = cluster.start("worker-1");
            await(SYNC, () -> worker.listener().processing.size() == 2);
            OwnedShard shard = worker.listener().processing.get(SHARD);
            String written = worker.listener().checkpoint(shard);
            long beforeRelease = System.nanoTime();

            shard.release();

            assertThat(shard.isHeld()).isFalse();
            assertThat(worker.listener().checkpoint(shard)).as("the handle's checkpoints refused").isNull();
            // Judged on the listener's record, not on reads after the fact: a sync may retake the shard meanwhile on a
            // busy machine (a hog run once read the row after the retake's own first checkpoint).
            await(SYNC.multipliedBy(5), () -> gainedAgainSince(worker, beforeRelease) != null, cluster::describe);
            RecordingListener.Event retaken = gainedAgainSince(worker, beforeRelease);
            assertThat(retaken.checkpoint()).as("the released row kept the checkpoint written before").isEqualTo(written);
            assertThat(Duration.ofNanos(retaken.nanos() - beforeRelease)).as("left alone for the sync after the release")
                    .isGreaterThanOrEqualTo(RENEW.multipliedBy(2));
        }
    }

    /** The first time the worker's listener gained {@link #SHARD} after {@code sinceNanos}, or {@code null}. */
    private static RecordingListener.Event gainedAgainSince(Worker worker, long sinceNanos) {
        return worker.listener().events("gained").stream()
                .filter(event -> event.shardId().equals(SHARD) && event.nanos() - sinceNanos > 0).findFirst().orElse(null);
    }

    @Test
    void stopDoesNotHangWhileTakesAreUnderWayAndLeavesNothingHeld() {
        try (Cluster cluster = new Cluster(64)) {
            Worker worker = cluster.create("stopping-worker", builder -> builder);   // a name no other test's threads have
            worker.faults().pause(Duration.ofMillis(400));   // the first takes wait, the rest queue behind them
            worker.coordinator().start();
            pause(Duration.ofMillis(150));

            long start = System.nanoTime();
            worker.coordinator().stop(Duration.ofSeconds(2));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            // It returns: its waits are bounded (takes under way: a lease; the grace; releases and hand-overs: a lease
            // each). A hang never returns; twice those bounds leave room for a busy machine.
            assertThat(took).isLessThan(LEASE.multipliedBy(3).plusSeconds(2).multipliedBy(2));
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                    thread -> thread.isAlive() && thread.getName().startsWith("checkpoint-sync-stopping-worker"));
            Map<String, Long> stillOwned = new java.util.TreeMap<>();
            worker.checkpointer().listLeases().stream().filter(Lease::isOwned)
                    .forEach(lease -> stillOwned.put(lease.shardId(), lease.leaseCounter()));
            assertThat(stillOwned).as("leases still owned after stop").isEmpty();
        }
    }

    private static Lease lease(Cluster cluster, Worker worker) {
        return worker.checkpointer().leaseStore().find(SHARD);
    }

    /** Cannot start anything: every leaseGained throws. */
    private static final class FailingListener implements LeaseListener {

        @Override
        public void leaseGained(OwnedShard shard) {
            throw new IllegalStateException("no connection to the downstream database");
        }

        @Override
        public void leaseEnding(OwnedShard shard, EndReason reason) {
        }

        @Override
        public void leaseLost(OwnedShard shard) {
        }
    }
}
