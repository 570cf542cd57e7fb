package dev.checkpoint.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.Lease;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.coordinator.CoordinatorTestAccess;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.Shard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's logic on the in-memory lease store: balancing, claims, hand-off, loss and parents first, with a
 * 500 ms lease, so that each scenario takes well under a second or two and needs no DynamoDB. The same scenarios run
 * against dynalite, slower, in {@code LeaseCoordinatorTests}.
 */
class CoordinatorOnInMemoryStoreTests {

    private static final Duration LEASE = Duration.ofMillis(500);
    private static final Duration RENEW = Duration.ofMillis(100);
    private static final Duration SYNC = Duration.ofMillis(150);
    private static final Duration LIMIT = Duration.ofSeconds(5);

    private final InMemoryLeaseTable table = new InMemoryLeaseTable();
    private final List<Shard> shards = new CopyOnWriteArrayList<>();
    private final List<LeaseCoordinator> coordinators = new ArrayList<>();
    private final List<Processing> listeners = new ArrayList<>();
    /** Every shard each worker gained, in order. */
    private final Map<String, List<String>> gained = new ConcurrentHashMap<>();
    /** Every gain of a shard, by any worker, in order. */
    private final List<String> gains = new CopyOnWriteArrayList<>();

    @AfterEach
    void haltAll() {
        coordinators.forEach(CoordinatorTestAccess::kill);
    }

    @Test
    void fourWorkersStartedOneAfterAnotherShareSixtyFourShardsWithoutPingPong() {
        addShards(64);
        start("worker-1", new Processing());
        await().atMost(LIMIT).until(() -> balanced(1) && listenersCaughtUp());
        for (int i = 2; i <= 4; i++) {
            int before = gains.size();
            start("worker-" + i, new Processing());
            int workers = i;
            // balanced as the coordinators see it, and every leaseGained of the stage delivered to the listeners
            await().atMost(LIMIT).until(() -> balanced(workers) && listenersCaughtUp());
            Map<String, Long> gainsPerShard = gains.subList(before, gains.size()).stream()
                    .collect(Collectors.groupingBy(gain -> gain, Collectors.counting()));
            assertThat(gainsPerShard.values()).as("shards gained more than once while balancing " + workers + " workers")
                    .allMatch(times -> times == 1);
        }
        int balancedAt = gains.size();
        await().during(SYNC.multipliedBy(4)).atMost(LIMIT).until(() -> balanced(4));
        assertThat(gains.subList(balancedAt, gains.size())).as("moves after the balance").isEmpty();
        assertThat(ownersByShard()).hasSize(64);
    }

    @Test
    void aKilledWorkersShardsMoveWithinALeaseAndASync() {
        addShards(8);
        LeaseCoordinator doomed = start("doomed", new Processing());
        await().atMost(LIMIT).until(() -> doomed.ownedShards().size() == 8);
        LeaseCoordinator survivor = start("survivor", new Processing());
        await().atMost(LIMIT).until(() -> balanced(2));

        long killedAt = System.nanoTime();
        CoordinatorTestAccess.kill(doomed);
        await().atMost(LIMIT).until(() -> survivor.ownedShards().size() == 8);

        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(LEASE.plus(SYNC).multipliedBy(3));
    }

    @Test
    void aHandOffOnRequestEndsTheLeaseInTheListenerAndAnotherWorkerTakesIt() throws Exception {
        // Three shards over two workers: 2 and 1. The fuller one hands one over; the other, below its share of 2,
        // takes it while the giver leaves it alone.
        addShards(3);
        Processing firstListener = new Processing();
        Processing secondListener = new Processing();
        LeaseCoordinator first = start("one", firstListener);
        await().atMost(LIMIT).until(() -> first.ownedShards().size() == 3);
        LeaseCoordinator second = start("two", secondListener);
        await().atMost(LIMIT).until(() -> balanced(2));
        boolean firstIsFuller = first.ownedShards().size() == 2;
        LeaseCoordinator giver = firstIsFuller ? first : second;
        LeaseCoordinator taker = firstIsFuller ? second : first;
        Processing giverListener = firstIsFuller ? firstListener : secondListener;
        String shard = giver.ownedShards().iterator().next();

        assertThat(giver.handOff(shard).get()).isTrue();

        assertThat(giverListener.ended).contains(shard + ":REQUESTED");
        await().atMost(LIMIT).until(() -> taker.ownedShards().contains(shard));
    }

    @Test
    void aChildShardIsTakenOnlyOnceItsParentIsFinished() {
        shards.add(Shard.of("parent"));
        shards.add(Shard.withParents("child", "parent"));
        Processing processing = new Processing();
        LeaseCoordinator worker = start("worker", processing);
        await().atMost(LIMIT).until(() -> worker.ownedShards().contains("parent"));
        await().during(SYNC.multipliedBy(3)).atMost(LIMIT).until(() -> !worker.ownedShards().contains("child"));

        processing.handles.get("parent").checkpoint(CheckpointConstants.SHARD_END);

        await().atMost(LIMIT).until(() -> worker.ownedShards().contains("child"));
        assertThat(gained.get("worker")).containsExactly("parent", "child");
    }

    @Test
    void aListenerThatCannotStartAShardHandsItToAnotherWorker() {
        addShards(1);
        LeaseCoordinator failing = start("failing", new Processing() {
            @Override
            public void leaseGained(OwnedShard shard) {
                super.leaseGained(shard);
                throw new IllegalStateException("cannot start");
            }
        });
        LeaseCoordinator healthy = start("healthy", new Processing());

        await().atMost(LIMIT).until(() -> healthy.ownedShards().size() == 1);
        assertThat(failing.ownedShards()).isEmpty();
    }

    private void addShards(int count) {
        IntStream.range(0, count).forEach(i -> shards.add(Shard.of(String.format("shardId-%03d", i))));
    }

    private LeaseCoordinator start(String workerId, Processing listener) {
        listener.worker = workerId;
        listeners.add(listener);
        InMemoryLeaseStore store = new InMemoryLeaseStore(table, workerId, LEASE, true, MonotonicClock.SYSTEM);
        LeaseCoordinator coordinator = CoordinatorTestAccess.seeded(LeaseCoordinator.builder().leaseStore(store)
                .shardSource(() -> List.copyOf(shards)).listener(listener).renewInterval(RENEW).syncInterval(SYNC)
                .maxLeasesToStealAtOneTime(16).shutdownGrace(Duration.ofSeconds(1)), workerId.hashCode()).build();
        coordinators.add(coordinator);
        coordinator.start();
        return coordinator;
    }

    private boolean balanced(int workers) {
        int total = shards.size();
        List<LeaseCoordinator> running = coordinators.subList(coordinators.size() - workers, coordinators.size());
        return running.stream().mapToInt(c -> c.ownedShards().size()).sum() == total
                && running.stream().allMatch(c -> c.ownedShards().size() >= total / workers
                        && c.ownedShards().size() <= (total + workers - 1) / workers);
    }

    /** Whether each listener processes exactly the shards its coordinator holds: no callback still on its way. */
    private boolean listenersCaughtUp() {
        for (int i = 0; i < coordinators.size(); i++) {
            if (!listeners.get(i).handles.keySet().equals(coordinators.get(i).ownedShards())) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Long> ownersByShard() {
        return table.scan().stream().filter(Lease::isOwned).collect(Collectors.groupingBy(Lease::shardId, Collectors.counting()));
    }

    /** Checkpoints once when it gains a shard and once when the lease ends; records what happened. */
    private class Processing implements LeaseListener {

        volatile String worker;
        final Map<String, OwnedShard> handles = new ConcurrentHashMap<>();
        final Set<String> ended = ConcurrentHashMap.newKeySet();

        @Override
        public void leaseGained(OwnedShard shard) {
            gained.computeIfAbsent(worker, w -> new CopyOnWriteArrayList<>()).add(shard.shardId());
            gains.add(shard.shardId());
            handles.put(shard.shardId(), shard);
            shard.checkpoint("1");
        }

        @Override
        public void leaseEnding(OwnedShard shard, EndReason reason) {
            shard.checkpoint("2");
            ended.add(shard.shardId() + ":" + reason);
            handles.remove(shard.shardId());
        }

        @Override
        public void leaseLost(OwnedShard shard) {
            handles.remove(shard.shardId());
        }
    }
}
