package dev.checkpoint.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.LeaseStoreContract;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The platform pool that renews: its size follows the leases held, and a full pool serves the most urgent first. */
class RenewerPoolTests {

    @Test
    void thePoolGrowsWithTheLeasesHeldWithinItsBounds() {
        RenewerPool pool = new RenewerPool("worker", 64, null, System::nanoTime);
        try {
            assertThat(pool.status().threads()).isEqualTo(8);
            pool.fitTo(1_000);
            assertThat(pool.status().threads()).as("one thread for every 25 leases").isEqualTo(40);
            pool.fitTo(5_000);
            assertThat(pool.status().threads()).as("at most the setting").isEqualTo(64);
            pool.fitTo(10);
            assertThat(pool.status().threads()).as("at least 8").isEqualTo(8);
        }
        finally {
            pool.shutdownNow();
        }
        RenewerPool small = new RenewerPool("worker", 2, null, System::nanoTime);
        try {
            small.fitTo(0);
            assertThat(small.status().threads()).as("never above the setting").isEqualTo(2);
        }
        finally {
            small.shutdownNow();
        }
    }

    @Test
    void aFullPoolRenewsTheLeaseClosestToItsDeadlineFirstAndCountsTheRenewalsThatWaited() throws Exception {
        RenewerPool pool = new RenewerPool("worker", 1, null, System::nanoTime);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> order = new CopyOnWriteArrayList<>();
        try {
            pool.execute(0, () -> {
                started.countDown();
                await(release);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            for (long deadline : new long[] {30, 10, 20}) {
                pool.execute(deadline, () -> order.add(deadline));
            }
            RenewalThreads full = pool.status();
            assertThat(full.running()).isEqualTo(1);
            assertThat(full.queued()).isEqualTo(3);
            assertThat(full.waitedForAThread()).isEqualTo(3);

            release.countDown();

            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 3);
            assertThat(order).containsExactly(10L, 20L, 30L);
            assertThat(pool.status().queued()).isZero();
        }
        finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** A renewal that waited for a thread past half of its time to its lease's deadline is counted; the pool keeps its size. */
    @Test
    void renewalsStartedLateAreCounted() throws Exception {
        LeaseStoreContract.Clock clock = new LeaseStoreContract.Clock();
        RenewerPool pool = new RenewerPool("worker", 64, null, clock);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(8);
        CountDownLatch lateOneRan = new CountDownLatch(1);
        try {
            long deadline = clock.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (int i = 0; i < 8; i++) {
                pool.execute(deadline, () -> {   // on time: every thread taken
                    blocking.countDown();
                    await(release);
                });
            }
            assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
            pool.execute(deadline, lateOneRan::countDown);
            clock.advance(Duration.ofSeconds(6));   // more than half of its 10 s gone before a thread is free
            release.countDown();
            assertThat(lateOneRan.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(pool.status().startedLate()).isEqualTo(1);
            pool.fitTo(100);
            assertThat(pool.status().threads()).as("what 100 leases call for, at least 8").isEqualTo(8);
        }
        finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
