package dev.checkpoint.coordinator;

import static dev.checkpoint.coordinator.Cluster.LEASE;
import static dev.checkpoint.coordinator.Cluster.RENEW;
import static dev.checkpoint.coordinator.Cluster.SYNC;
import static dev.checkpoint.coordinator.Cluster.await;
import static dev.checkpoint.coordinator.Cluster.pause;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.checkpoint.Lease;
import dev.checkpoint.ResetRequest;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.coordinator.Cluster.Worker;
import dev.checkpoint.coordinator.RecordingListener.Event;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The coordinator's behaviour against dynalite, on real threads, with a 1 s lease, 250 ms renewals and a 1 s sync:
 * the scenarios where DynamoDB's answers, failures and timing matter. Balancing, parents first and the rest of the
 * coordinator's logic are tested on a manual clock in {@code CoordinatorOnInMemoryStoreTests}. Each test says what it
 * measured in the log, under "measured:".
 */
class LeaseCoordinatorTests {

    private static final Logger log = LoggerFactory.getLogger(LeaseCoordinatorTests.class);

    /** The cluster of a test: per-lease renewal here, worker renewal in {@link WorkerModeCoordinatorTests}. */
    Cluster cluster(int shards) {
        return new Cluster(shards);
    }

    @Test
    void oneWorkerOwnsAHundredShardsOnDynamoDb() {
        // That the first sync takes them all is shown on the manual clock (CoordinatorOnInMemoryStoreTests); here,
        // that 100 takes on dynalite go through, with a bound for a cold JVM on a loaded machine, and how long.
        try (Cluster cluster = cluster(100)) {
            Worker worker = cluster.start("solo");

            Duration took = await(SYNC.multipliedBy(5), () -> worker.owned() == 100);

            log.info("measured: one worker owned 100 shards {} ms after start", took.toMillis());
            await(SYNC, () -> worker.listener().shards("gained").size() == 100);
        }
    }

    @Test
    void idleWorkerCountsInTheFairShare() {
        try (Cluster cluster = cluster(8)) {
            Worker busy = cluster.start("busy");
            await(SYNC, () -> busy.owned() == 8);

            Worker idle = cluster.start("idle");

            await(SYNC.multipliedBy(3), () -> busy.owned() == 4 && idle.owned() == 4);
        }
    }

    @Test
    void crashedWorkersShardsMoveWithinOneLeaseDurationAndOneSyncInterval() {
        try (Cluster cluster = cluster(16)) {
            Worker doomed = cluster.start("doomed");
            await(SYNC, () -> doomed.owned() == 16);
            Worker survivor = cluster.start("survivor");
            await(SYNC.multipliedBy(4), () -> doomed.owned() == 8 && survivor.owned() == 8);

            doomed.coordinator().halt();
            Duration took = await(LEASE.plus(SYNC).multipliedBy(2), () -> survivor.owned() == 16);

            // What must happen: the survivor takes them all. The bound (a lease and a sync) is held on the manual clock,
            // where a busy machine cannot stretch it: CoordinatorOnInMemoryStoreTests.aCrashedWorkersShardsMoveWithinALeaseAndASync.
            log.info("measured: crash failover of 8 shards in {} ms (lease {} ms + sync {} ms)", took.toMillis(),
                    LEASE.toMillis(), SYNC.toMillis());
            // and its listener gains each of them (leaseGained runs on the listener's thread, after the take)
            await(LEASE.plus(SYNC), () -> survivor.listener().shards("gained").containsAll(doomed.listener().shards("gained")));
        }
    }

    @Test
    void gracefulStopEndsEachLeaseThroughTheListenerAndOthersTakeOverWithoutWaitingForExpiry() {
        try (Cluster cluster = cluster(8)) {
            Worker leaving = cluster.start("leaving");
            await(SYNC, () -> leaving.owned() == 8);
            // The staying worker syncs every 30 s: it takes half the shards by claims at its first sync, and can only
            // have the rest before its next sync by the hand-over, which reaches it at its next renewal (every 250 ms).
            Worker staying = cluster.start("staying", builder -> builder.syncInterval(Duration.ofSeconds(30)));
            await(SYNC.multipliedBy(3), () -> staying.owned() == 4 && leaving.owned() == 4);

            long stopStart = System.nanoTime();
            leaving.coordinator().stop(Duration.ofSeconds(2));
            Duration stopTook = Duration.ofNanos(System.nanoTime() - stopStart);
            Duration took = await(LEASE.multipliedBy(5), () -> staying.owned() == 8);
            await(SYNC, () -> staying.listener().events("gained").size() == 8);

            log.info("measured: graceful stop took {} ms; the other worker owned all 8 shards {} ms later (renew "
                    + "interval {} ms)", stopTook.toMillis(), took.toMillis(), RENEW.toMillis());
            assertThat(leaving.listener().events("ending-shutdown")).hasSize(4);
            for (Event ending : leaving.listener().events("ending-shutdown")) {
                Event gained = staying.listener().events("gained").stream()
                        .filter(event -> event.shardId().equals(ending.shardId())).findFirst().orElseThrow();
                assertThat(ending.checkpoint()).as("final checkpoint written while still held").isNotNull();
                assertThat(gained.checkpoint()).as("the next owner resumes from the last checkpoint")
                        .isEqualTo(ending.checkpoint());
            }
        }
    }

    @Test
    void claimedShardIsFinishedCheckpointedAndReleasedBeforeTheClaimantTakesIt() {
        try (Cluster cluster = cluster(8)) {
            Worker owner = cluster.start("owner");
            await(SYNC, () -> owner.owned() == 8);

            Worker claimant = cluster.start("claimant");
            await(SYNC.multipliedBy(3), () -> owner.owned() == 4 && claimant.owned() == 4
                    && claimant.listener().events("gained").size() == 4);

            List<Event> handedOff = owner.listener().events("ending-claimed");
            assertThat(handedOff).hasSize(4);
            for (Event ending : handedOff) {
                Event gained = claimant.listener().events("gained").stream()
                        .filter(event -> event.shardId().equals(ending.shardId())).findFirst().orElseThrow();
                assertThat(gained.nanos()).isGreaterThan(ending.nanos());
                assertThat(gained.checkpoint()).isEqualTo(ending.checkpoint());
            }
            assertThat(owner.listener().events("lost")).isEmpty();
        }
    }

    @Test
    void listenerThatBlocksForSeveralLeaseDurationsKeepsItsLeases() {
        try (Cluster cluster = cluster(4)) {
            Worker slow = cluster.create("slow", builder -> builder);
            slow.listener().blockOnGained = LEASE.multipliedBy(4);
            slow.coordinator().start();
            await(SYNC, () -> slow.owned() == 4 && slow.listener().events("gained").size() == 4);
            Worker other = cluster.start("other", builder -> builder.maxLeasesToStealAtOneTime(0));

            pause(LEASE.multipliedBy(4));

            assertThat(slow.owned()).isEqualTo(4);
            assertThat(slow.listener().events("lost")).isEmpty();
            assertThat(other.owned()).isZero();
        }
    }

    @Test
    void lostLeaseIsReportedPromptlyAndNoLongerTreatedAsOwned() {
        try (Cluster cluster = cluster(3)) {
            Worker worker = cluster.start("worker", builder -> builder.syncInterval(Duration.ofSeconds(30)));
            await(SYNC, () -> worker.listener().processing.containsKey("shardId-000000000000"));
            OwnedShard handle = worker.listener().processing.get("shardId-000000000000");

            // An operator deletes the row under the owner: its next renewal finds it gone.
            TestDynamoDb.shared().newClient().deleteItem(delete -> delete.tableName(cluster.table)
                    .key(Map.of("ShardID", AttributeValue.fromS("shardId-000000000000"))));
            Duration took = await(RENEW.multipliedBy(3), () -> worker.listener().shards("lost").contains("shardId-000000000000"));

            log.info("measured: lost lease reported {} ms after the row was taken away", took.toMillis());
            assertThat(handle.isHeld()).isFalse();
            assertThat(worker.coordinator().ownedShards()).doesNotContain("shardId-000000000000");
            assertThat(worker.listener().checkpoint(handle)).as("checkpoint after loss").isNull();
        }
    }

    @Test
    void leasesThatCannotBeRenewedAreGivenUpBeforeTheyExpireForOthers() {
        try (Cluster cluster = cluster(4)) {
            Worker cutOff = cluster.start("cut-off");
            await(SYNC, () -> cutOff.owned() == 4);

            cutOff.faults().setUnreachable(true);
            long cut = System.nanoTime();
            await(LEASE.multipliedBy(2), () -> cutOff.owned() == 0);
            Duration gaveUp = Duration.ofNanos(System.nanoTime() - cut);

            await(RENEW, () -> cutOff.listener().events("lost").size() == 4);
            // What must happen: each lease is given up and the listener told. That it happens before another worker can
            // take them is held on the manual clock:
            // CoordinatorOnInMemoryStoreTests.aWorkerCutOffFromTheTableHearsLeaseLostBeforeAnotherWorkerCanTakeItsShards.
            log.info("measured: a worker cut off gave its 4 leases up {} ms after the cut (lease {} ms)", gaveUp.toMillis(),
                    LEASE.toMillis());
        }
    }

    /**
     * A rolling restart, as a deployment does it: each of three workers gets a replacement, which starts and takes its
     * share by claims, and then the old one stops gracefully (withdrawing its claims, handing its leases over). No shard
     * is held by nobody, from a listener's {@code leaseEnding} or {@code leaseLost} to the next {@code leaseGained}, for
     * longer than a lease duration plus a sync interval.
     */
    @Test
    void aRollingRestartOfThreeWorkersLeavesNoShardUnheldForLongerThanALeaseAndASync() {
        try (Cluster cluster = cluster(12)) {
            List<Worker> running = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                running.add(cluster.start("w" + i));
            }
            await(SYNC.multipliedBy(10), () -> running.stream().allMatch(worker -> worker.owned() == 4), cluster::describe);

            for (int i = 1; i <= 3; i++) {
                Worker old = running.remove(0);
                Worker replacement = cluster.start("w" + i + "-new");
                running.add(replacement);
                await(SYNC.multipliedBy(5), () -> replacement.owned() > 0, cluster::describe);   // ready
                old.coordinator().stop(Duration.ofSeconds(2));
            }
            await(SYNC.multipliedBy(10), () -> running.stream().mapToInt(Worker::owned).sum() == 12, cluster::describe);

            // What must happen: the replacements hold every shard, each gained once more after each ending. The bound
            // (a lease and a sync) is held on the manual clock: CoordinatorOnInMemoryStoreTests' test of the same name.
            Duration longest = longestUnheld(cluster);
            log.info("measured: in a rolling restart of 3 workers, no shard was unheld for longer than {} ms (lease {} "
                    + "ms, renew {} ms, sync {} ms)", longest.toMillis(), LEASE.toMillis(), RENEW.toMillis(), SYNC.toMillis());
            // each shard's listener is a replacement's (leaseGained runs on the listener's thread, after the take)
            await(LEASE.plus(SYNC), () -> running.stream().flatMap(worker -> worker.listener().shards("gained").stream())
                    .distinct().count() == 12, cluster::describe);
        }
    }

    /** The longest a shard went without a listener that had it, from the listeners' own callbacks. */
    private static Duration longestUnheld(Cluster cluster) {
        Map<String, List<Event>> byShard = cluster.workers.stream().flatMap(worker -> worker.listener().events.stream())
                .sorted(java.util.Comparator.comparingLong(Event::nanos))
                .collect(Collectors.groupingBy(Event::shardId, java.util.LinkedHashMap::new, Collectors.toList()));
        long longest = 0;
        for (List<Event> events : byShard.values()) {
            int holders = 0;
            long unheldSince = Long.MIN_VALUE;
            for (Event event : events) {
                if (event.kind().equals("gained")) {
                    if (holders == 0 && unheldSince != Long.MIN_VALUE) {
                        longest = Math.max(longest, event.nanos() - unheldSince);
                    }
                    holders++;
                }
                else if (event.kind().equals("lost") || event.kind().startsWith("ending-")) {
                    holders = Math.max(0, holders - 1);
                    if (holders == 0) {
                        unheldSince = event.nanos();
                    }
                }
            }
        }
        return Duration.ofNanos(longest);
    }

    /**
     * One reset, one {@code leaseEnding(RESET)}, one new handle, whichever of its words reaches the owner first: the
     * renewal's refusal, the heartbeat's notice or the sync's read of the row (syncs far more often than renewals here,
     * so that the sync comes first). Before resets were told apart by id, in worker mode a notice arriving after the sync
     * had applied the reset ended the new handle again: 3 handles for one reset.
     */
    @Test
    void eachResetEndsTheLeaseOnceAndGivesOneNewHandle() {
        try (Cluster cluster = cluster(1)) {
            Worker worker = cluster.start("worker", builder -> builder.syncInterval(Duration.ofMillis(20))
                    .renewInterval(LEASE.dividedBy(2).minusMillis(50)));
            await(SYNC, () -> worker.listener().events("gained").size() == 1);
            for (int reset = 1; reset <= 6; reset++) {
                worker.coordinator().reset(ResetRequest.allShards(StartingPosition.trimHorizon()));
                int handles = reset + 1;
                await(LEASE.multipliedBy(3), () -> worker.listener().events("gained").size() >= handles);
                pause(RENEW.multipliedBy(3));   // room for a later word of the same reset to end the new handle

                assertThat(worker.listener().events("ending-reset")).as("endings after reset " + reset).hasSize(reset);
                assertThat(worker.listener().events("gained")).as("handles after reset " + reset).hasSize(handles);
            }
        }
    }

    @Test
    void rowsFollowTheShardsTheSourceLists() {
        try (Cluster cluster = cluster(3)) {
            Worker worker = cluster.start("worker", builder -> builder.maxLeasesForWorker(1));
            await(SYNC, () -> worker.checkpointer().listLeases().size() == 3);
            assertThat(worker.owned()).isEqualTo(1);

            Shard gone = cluster.shards.stream().filter(shard -> !worker.coordinator().ownedShards().contains(shard.id()))
                    .findFirst().orElseThrow();
            cluster.shards.remove(gone);
            cluster.shards.add(Shard.of("shardId-new"));

            await(SYNC.multipliedBy(2), () -> {
                Set<String> rows = worker.checkpointer().listLeases().stream().map(Lease::shardId).collect(Collectors.toSet());
                return rows.contains("shardId-new") && !rows.contains(gone.id()) && rows.size() == 3;
            });
        }
    }

    @Test
    void outageSlowsTheCoordinatorDownAndItReacquiresItsLeasesAfterwards() {
        try (Cluster cluster = cluster(6)) {
            Worker worker = cluster.start("worker");
            await(SYNC, () -> worker.owned() == 6);

            worker.faults().setUnreachable(true);
            await(LEASE.multipliedBy(3), () -> worker.owned() == 0 && worker.coordinator().status().failedSyncs() >= 1);
            pause(SYNC);
            assertThat(worker.coordinator().status().lastSyncError()).contains("connection refused");
            assertThat(worker.coordinator().status().running()).isTrue();

            worker.faults().setUnreachable(false);
            Duration took = await(SYNC.plus(LEASE).multipliedBy(2), () -> worker.owned() == 6);

            log.info("measured: all 6 leases re-acquired {} ms after DynamoDB came back", took.toMillis());
            // The sync that took them back counts as a success once it has finished, a few milliseconds later.
            await(SYNC, () -> worker.coordinator().status().failedSyncs() == 0, cluster::describe);
            assertThat(worker.listener().events("lost")).hasSize(6);
        }
    }
}
