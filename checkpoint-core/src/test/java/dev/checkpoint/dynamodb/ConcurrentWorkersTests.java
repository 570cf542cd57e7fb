package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.Test;

/**
 * Mutual exclusion with real threads, real time and real pauses: workers race for the same shards and stall
 * past the lease duration at random. Every successful take or renewal is recorded with the moments it was sent
 * and returned, on the one monotonic clock they share.
 */
class ConcurrentWorkersTests {

    private static final Duration LEASE = Duration.ofMillis(400);
    private static final int WORKERS = 4;
    private static final int SHARDS = 6;
    private static final Duration RUN = Duration.ofSeconds(4);

    record Acquisition(String shardId, String worker, long counter, long sentNanos, long returnedNanos) {
    }

    @Test
    void noTwoWorkersEverHoldTheSameLeaseAtOnce() throws Exception {
        String table = Tables.newTableName();
        DynamoDbCheckpointer.builder().dynamoDbClient(Tables.client()).tableName(table).workerId("creator").build().init();
        ConcurrentLinkedQueue<Acquisition> acquisitions = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<Integer>> results = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            String worker = "worker-" + w;
            Random random = new Random(42 + w);
            DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(Tables.client())
                    .tableName(table).workerId(worker).leaseDuration(LEASE).monotonicClock(MonotonicClock.SYSTEM).build();
            results.add(pool.submit(() -> compete(checkpointer, worker, random, acquisitions)));
        }
        int refusals = 0;
        for (Future<Integer> result : results) {
            refusals += result.get(RUN.toSeconds() + 30, TimeUnit.SECONDS);
        }
        pool.shutdown();

        Map<String, List<Acquisition>> byShard = acquisitions.stream()
                .collect(Collectors.groupingBy(Acquisition::shardId));
        int takeovers = 0;
        for (List<Acquisition> history : byShard.values()) {
            history.sort(Comparator.comparingLong(Acquisition::counter));
            for (int i = 1; i < history.size(); i++) {
                Acquisition previous = history.get(i - 1);
                Acquisition next = history.get(i);
                // Every successful write made a counter value of its own: no two workers both won the same race.
                assertThat(next.counter()).as("counter after %s", previous).isGreaterThan(previous.counter());
                if (!next.worker().equals(previous.worker())) {
                    takeovers++;
                    // The new owner had its lease only after the old owner's lease, counted from its send, ran out.
                    assertThat(next.returnedNanos()).as("take-over %s after %s", next, previous)
                            .isGreaterThan(previous.sentNanos() + LEASE.toNanos());
                }
            }
        }
        assertThat(takeovers).as("take-overs exercised").isGreaterThanOrEqualTo(SHARDS);
        assertThat(refusals).as("races lost").isGreaterThan(0);
    }

    private static int compete(DynamoDbCheckpointer checkpointer, String worker, Random random,
            ConcurrentLinkedQueue<Acquisition> acquisitions) throws InterruptedException {
        int refusals = 0;
        long end = System.nanoTime() + RUN.toNanos();
        while (System.nanoTime() < end) {
            for (int s = 0; s < SHARDS; s++) {
                ShardStatus shard = new ShardStatus("shard-" + s);
                long sent = System.nanoTime();
                try {
                    checkpointer.getLease(shard, worker);
                    acquisitions.add(new Acquisition(shard.getId(), worker, shard.getLeaseCounter(), sent, System.nanoTime()));
                }
                catch (CheckpointException refused) {
                    refusals++;
                }
            }
            // Mostly renew on time; now and then stall for longer than a lease, as a paused process would.
            Thread.sleep(random.nextInt(10) == 0 ? LEASE.toMillis() + 200 : 60);
        }
        return refusals;
    }
}
