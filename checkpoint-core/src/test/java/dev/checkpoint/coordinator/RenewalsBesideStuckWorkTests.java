package dev.checkpoint.coordinator;

import static dev.checkpoint.coordinator.Cluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import dev.checkpoint.RenewalMode;
import dev.checkpoint.coordinator.Cluster.Worker;
import dev.checkpoint.testsupport.VirtualThreadFactories;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Renewals have threads of their own: while every listener callback and the sync are stuck (processors that never
 * return, a shard listing that never answers), the leases held stay held and keep being renewed by one renewal thread
 * for twelve leases, platform or virtual. Against dynalite, on real threads.
 */
class RenewalsBesideStuckWorkTests {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final int SHARDS = 12;

    @Test
    void onAFullPlatformPoolLeasesStayHeldWhileListenersAndSyncsAreStuck() {
        leasesStayRenewedBesideStuckWork(builder -> builder.maxRenewalThreads(1), "platform");
    }

    @Test
    @Tag("virtual-threads")
    void onVirtualThreadsLeasesStayHeldWhileListenersAndSyncsAreStuck() {
        leasesStayRenewedBesideStuckWork(builder -> builder.maxRenewalThreads(1)
                .virtualThreads(VirtualThreadFactories.named("renewer-")), "virtual");
    }

    private static void leasesStayRenewedBesideStuckWork(UnaryOperator<LeaseCoordinator.Builder> threads, String model) {
        CountDownLatch stuck = new CountDownLatch(1);
        AtomicInteger listings = new AtomicInteger();
        AtomicInteger gained = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        try (Cluster cluster = new Cluster(SHARDS, RenewalMode.LEASE, LEASE)) {
            try {
                Worker worker = cluster.start("busy", builder -> threads.apply(builder)
                        .shardSource(() -> {
                            if (listings.incrementAndGet() > 1) {
                                awaitQuietly(stuck);   // the second sync's listing never answers
                            }
                            return List.copyOf(cluster.shards);
                        })
                        .listener(new LeaseListener() {
                            @Override
                            public void leaseGained(OwnedShard shard) {
                                gained.incrementAndGet();
                                awaitQuietly(stuck);   // a processor that never returns
                            }

                            @Override
                            public void leaseEnding(OwnedShard shard, EndReason reason) {
                            }

                            @Override
                            public void leaseLost(OwnedShard shard) {
                                lost.incrementAndGet();
                            }
                        }));
                await(LEASE.multipliedBy(10), () -> gained.get() == SHARDS && listings.get() >= 2);
                Map<String, Long> before = counters(worker);

                Cluster.pause(LEASE.multipliedBy(3).dividedBy(2));

                assertThat(lost).as("leases lost").hasValue(0);
                assertThat(worker.coordinator().ownedShards()).hasSize(SHARDS);
                Map<String, Long> after = counters(worker);
                before.forEach((shard, counter) -> assertThat(after.get(shard)).as("renewals of " + shard)
                        .isGreaterThanOrEqualTo(counter + 3));
                RenewalThreads renewers = worker.coordinator().renewalThreads();
                assertThat(renewers.model()).isEqualTo(model);
                assertThat(renewers.maxThreads()).isEqualTo(1);
                assertThat(renewers.waitedForAThread()).as("renewals queued behind each other, counted").isPositive();
            }
            finally {
                stuck.countDown();
            }
        }
    }

    private static Map<String, Long> counters(Worker worker) {
        Map<String, Long> counters = new TreeMap<>();
        worker.checkpointer().leaseStore().scan().forEach(lease -> counters.put(lease.shardId(), lease.leaseCounter()));
        return counters;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
