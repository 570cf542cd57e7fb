package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A closed consumer's reader threads end at once, not a minute later, and a late wake-up of an ended reader is ignored. */
class ReaderThreadsCloseTests {

    @Test
    void closingEndsTheIdleThreadsAndLateWakeUpsAreIgnored() throws Exception {
        ReaderThreads threads = ReaderThreads.bounded(2);
        Set<Thread> used = ConcurrentHashMap.newKeySet();
        CountDownLatch ran = new CountDownLatch(4);
        for (int turn = 0; turn < 4; turn++) {
            threads.run("shard-" + turn, () -> {
                used.add(Thread.currentThread());
                ran.countDown();
            });
        }
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(used).hasSizeBetween(1, 2);

        threads.close();

        await().atMost(Duration.ofSeconds(10)).until(() -> used.stream().noneMatch(Thread::isAlive));
        threads.run("shard-0", () -> used.add(Thread.currentThread())); // an event after the end: nothing runs
        threads.after(0, () -> used.add(Thread.currentThread()));
        assertThat(used).noneMatch(Thread::isAlive);
    }
}
