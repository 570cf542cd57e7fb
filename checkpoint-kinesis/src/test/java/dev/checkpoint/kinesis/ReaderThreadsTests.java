package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.checkpoint.Lease;
import dev.checkpoint.kinesis.Workers.Worker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shards share a bounded pool of platform reader threads (Java 17's model): more shards than threads are all read,
 * never two reads of one shard at once, on no more threads than the pool has; a processor stuck on one shard holds one
 * thread, and the other shards are read on the rest. Against kinesis-local and dynalite, by polling and by fan-out.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Retrieval.class)
class ReaderThreadsTests {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final int SHARDS = 8;
    private static final int THREADS = 2;

    @Parameter
    Retrieval retrieval;

    @Test
    void moreShardsThanReaderThreadsAreAllReadOneReadOfAShardAtATime() {
        Set<String> readerThreads = ConcurrentHashMap.newKeySet();
        Map<String, AtomicInteger> readsUnderWay = new ConcurrentHashMap<>();
        AtomicInteger mostOfOneShardAtOnce = new AtomicInteger();
        try (Workers workers = new Workers(SHARDS, retrieval).withReaderThreads(THREADS)) {
            List<String> put = workers.kinesis.put(workers.stream, "r", 80);
            Worker worker = workers.start("pooled", settings -> settings, recording -> (records, checkpointer) -> {
                readerThreads.add(Thread.currentThread().getName() + "#" + Thread.currentThread().getId());
                AtomicInteger underWay = readsUnderWay.computeIfAbsent(records.get(0).shardId(), shard -> new AtomicInteger());
                mostOfOneShardAtOnce.accumulateAndGet(underWay.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(20); // long enough for a second read of the shard to overlap, were it let
                    recording.process(records, checkpointer);
                }
                finally {
                    underWay.decrementAndGet();
                }
            }, workers.kinesis.client());

            workers.awaitProcessed(put, LIMIT);

            assertThat(worker.consumer.readerThreads()).extracting(ReaderThreadsStatus::model, ReaderThreadsStatus::maxThreads)
                    .containsExactly("platform", THREADS);
            assertThat(readsUnderWay).as("shards read").hasSize(SHARDS);
            assertThat(mostOfOneShardAtOnce).as("reads of one shard at once").hasValue(1);
            assertThat(readerThreads).allMatch(name -> name.startsWith("checkpoint-kinesis-"));
            assertThat(readerThreads.stream().map(name -> name.substring(name.indexOf('#'))).distinct())
                    .as("threads that processed").hasSizeLessThanOrEqualTo(THREADS);
            assertThat(workers.rows().values()).extracting(Lease::owner).containsOnly("pooled");
            workers.assertNoDuplicatesUnlessALeaseWasLost();
        }
    }

    @Test
    void aProcessorStuckOnOneShardHoldsOneThreadAndTheOtherShardsAreReadOnTheRest() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> stuck = new AtomicReference<>();
        try (Workers workers = new Workers(SHARDS, retrieval).withReaderThreads(THREADS)) {
            workers.kinesis.put(workers.stream, "a", 40);
            workers.start("pooled", settings -> settings, recording -> (records, checkpointer) -> {
                String shard = records.get(0).shardId();
                recording.process(records, checkpointer);
                if (stuck.compareAndSet(null, shard) || shard.equals(stuck.get())) {
                    release.await(); // this shard's processor is stuck until the test lets it go
                }
            }, workers.kinesis.client());
            await().atMost(LIMIT).until(() -> stuck.get() != null);

            List<String> later = workers.kinesis.put(workers.stream, "b", 80);
            List<String> onStuckShard = later.stream()
                    .filter(name -> workers.kinesis.shardOf(workers.stream, name).equals(stuck.get())).toList();
            List<String> onOtherShards = later.stream().filter(name -> !onStuckShard.contains(name)).toList();

            workers.awaitProcessed(onOtherShards, LIMIT);
            assertThat(workers.names()).as("records of the stuck shard").doesNotContainAnyElementsOf(onStuckShard);
            release.countDown();
            workers.awaitProcessed(later, LIMIT);
        }
    }
}
