package dev.checkpoint.kinesis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import dev.checkpoint.Lease;
import dev.checkpoint.coordinator.CoordinatorTestAccess;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener.EndReason;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Workers consuming one kinesis-local stream through one dynalite lease table, each a coordinator and a
 * {@link KinesisConsumer} in this JVM reading by polling or by enhanced fan-out, all recording what their processors
 * were given.
 */
final class Workers implements AutoCloseable {

    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration SYNC = Duration.ofMillis(500);

    final TestKinesis kinesis = TestKinesis.shared();
    final Retrieval retrieval;
    final String stream;
    final String table = TestDynamoDb.uniqueTableName("kinesis");
    /** Every record any processor got through, in the order they were processed: "worker/shard/name". */
    final List<String> processed = new CopyOnWriteArrayList<>();
    final Map<String, Worker> byId = new ConcurrentHashMap<>();
    /** The sequence number of each record processed, by name. */
    final Map<String, String> sequenceNumbers = new ConcurrentHashMap<>();
    private final List<DynamoDbCheckpointer> checkpointers = new ArrayList<>();
    /** Leases lost by any worker (not ended through the listener's leaseEnding). */
    private final AtomicInteger leasesLost = new AtomicInteger();
    /** Virtual threads for the workers' readers and renewals, or {@code null}: platform threads. */
    private @Nullable ThreadFactory virtualThreads;
    private int readerThreads = KinesisConsumer.DEFAULT_READER_THREADS;

    /**
     * Makes each worker's client that subscribes to shards under {@link Retrieval#FAN_OUT}: a client of its own, whose
     * connections close when the worker is killed, as a process's do; a test may inject faults into it.
     */
    Supplier<KinesisAsyncClient> asyncClients = TestKinesis::newAsyncClient;

    Workers(int shards) {
        this(shards, Retrieval.POLLING);
    }

    Workers(int shards, Retrieval retrieval) {
        this.retrieval = retrieval;
        this.stream = kinesis.createStream(shards);
    }

    /** The stream consumer the workers of this application read through, under {@link Retrieval#FAN_OUT}. */
    String consumerName() {
        return "app-" + table;
    }

    /** Workers started from now on read their shards and renew their leases on virtual threads from {@code factory}. */
    Workers onVirtualThreads(ThreadFactory factory) {
        this.virtualThreads = factory;
        return this;
    }

    /** Workers started from now on read their shards on a pool of {@code threads} platform threads. */
    Workers withReaderThreads(int threads) {
        this.readerThreads = threads;
        return this;
    }

    /** A worker, one coordinator and consumer. */
    final class Worker {

        final String id;
        final KinesisConsumer consumer;
        final LeaseCoordinator coordinator;
        final DynamoDbCheckpointer checkpointer;
        final @Nullable KinesisAsyncClient asyncClient;
        final AtomicInteger throttled = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final AtomicInteger handedOff = new AtomicInteger();
        volatile boolean frozen;

        Worker(String id, KinesisConsumer consumer, LeaseCoordinator coordinator, DynamoDbCheckpointer checkpointer,
                @Nullable KinesisAsyncClient asyncClient) {
            this.id = id;
            this.asyncClient = asyncClient;
            this.consumer = consumer;
            this.coordinator = coordinator;
            this.checkpointer = checkpointer;
        }

        /**
         * Stops dead, as a SIGKILL would: nothing released, nothing more processed or checkpointed, and the
         * subscriptions' connections closed.
         */
        void kill() {
            frozen = true;
            CoordinatorTestAccess.kill(coordinator);
            if (asyncClient != null) {
                asyncClient.close();
            }
        }

        void stop() {
            coordinator.stop(Duration.ofSeconds(2));
            if (asyncClient != null) {
                asyncClient.close();
            }
        }
    }

    Worker start(String id, UnaryOperator<KinesisConsumerSettings.Builder> settings) {
        return start(id, settings, recording -> recording, kinesis.client());
    }

    /**
     * Starts a worker whose processor records each record it gets; {@code around} may wrap that (to fail, or to
     * checkpoint by hand).
     */
    Worker start(String id, UnaryOperator<KinesisConsumerSettings.Builder> settings,
            UnaryOperator<CheckpointingRecordProcessor> around, KinesisClient client) {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient())
                .tableName(table).workerId(id).leaseDuration(LEASE).enableLeaseStealing(true).build();
        checkpointer.init();
        checkpointers.add(checkpointer);
        Worker[] self = new Worker[1];
        CheckpointingRecordProcessor recording = (records, recordCheckpointer) -> {
            if (self[0].frozen) {
                Thread.sleep(Long.MAX_VALUE); // a killed process does nothing more
            }
            records.forEach(record -> {
                sequenceNumbers.put(record.data().asUtf8String(), record.sequenceNumber());
                processed.add(id + "/" + record.shardId() + "/" + record.data().asUtf8String());
            });
        };
        CheckpointingRecordProcessor processor = around.apply(recording);
        KinesisConsumer.Builder consumerBuilder = KinesisConsumer.builder().readerThreads(readerThreads);
        if (virtualThreads != null) {
            consumerBuilder.threadFactory(virtualThreads);
        }
        KinesisConsumerSettings.Builder defaults = KinesisConsumerSettings.builder().streamName(stream)
                .idleInterval(Duration.ofMillis(100)).retryBackoff(Duration.ofMillis(50)).retrieval(retrieval);
        KinesisAsyncClient asyncClient = null;
        if (retrieval == Retrieval.FAN_OUT) {
            asyncClient = asyncClients.get();
            defaults.consumerName(consumerName());
            consumerBuilder.kinesisAsyncClient(asyncClient);
        }
        KinesisConsumer consumer = consumerBuilder
                .kinesisClient(client)
                .settings(settings.apply(defaults).build())
                .checkpointingProcessor(processor)
                .listener(new ShardConsumerListener() {
                    @Override
                    public void throttled(String shardId) {
                        self[0].throttled.incrementAndGet();
                    }

                    @Override
                    public void skipped(String shardId, int records) {
                        self[0].skipped.incrementAndGet();
                    }

                    @Override
                    public void handedOff(String shardId) {
                        self[0].handedOff.incrementAndGet();
                    }
                })
                .build();
        LeaseListener countingLosses = new LeaseListener() {
            @Override
            public void leaseGained(OwnedShard shard) {
                consumer.leaseGained(shard);
            }

            @Override
            public void leaseEnding(OwnedShard shard, EndReason reason) {
                consumer.leaseEnding(shard, reason);
            }

            @Override
            public void leaseLost(OwnedShard shard) {
                leasesLost.incrementAndGet();
                consumer.leaseLost(shard);
            }
        };
        LeaseCoordinator.Builder coordinatorBuilder = LeaseCoordinator.builder().checkpointer(checkpointer)
                .shardSource(consumer.shardSource()).listener(countingLosses).syncInterval(SYNC)
                .shutdownGrace(Duration.ofSeconds(5));
        if (virtualThreads != null) {
            coordinatorBuilder.virtualThreads(virtualThreads);
        }
        LeaseCoordinator coordinator = coordinatorBuilder.build();
        Worker worker = new Worker(id, consumer, coordinator, checkpointer, asyncClient);
        self[0] = worker;
        byId.put(id, worker);
        coordinator.start();
        return worker;
    }

    /** The record names processed, any worker, in order. */
    List<String> names() {
        return processed.stream().map(entry -> entry.substring(entry.lastIndexOf('/') + 1)).toList();
    }

    /** Waits until every one of {@code names} was processed at least once. */
    void awaitProcessed(List<String> names, Duration limit) {
        await().atMost(limit).until(() -> names().containsAll(names));
    }

    /** How many records were processed more than once, in all. */
    /**
     * No record processed twice, unless a lease was lost (a renewal that missed its deadline on a starved machine, say):
     * then the records since the last checkpoint are read again, which at-least-once allows. Every record processed at
     * least once is each test's own check.
     */
    void assertNoDuplicatesUnlessALeaseWasLost() {
        if (leasesLost.get() == 0) {
            org.assertj.core.api.Assertions.assertThat(duplicates()).as("records processed twice, no lease lost").isZero();
        }
    }

    int duplicates() {
        Map<String, Long> counts = names().stream().collect(Collectors.groupingBy(name -> name, Collectors.counting()));
        return counts.values().stream().mapToInt(count -> (int) (count - 1)).sum();
    }

    Map<String, Lease> rows() {
        return checkpointers.get(0).listLeases().stream().collect(Collectors.toMap(Lease::shardId, lease -> lease));
    }

    List<String> order() {
        return Collections.unmodifiableList(processed);
    }

    @Override
    public void close() {
        byId.values().forEach(worker -> {
            if (worker.frozen) {
                return;
            }
            worker.stop();
        });
    }
}
