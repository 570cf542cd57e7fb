package dev.checkpoint.benchmarks;

import static dev.checkpoint.benchmarks.ResultTable.row;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.RenewalMode;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.kinesis.InitialPosition;
import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.KinesisConsumerSettings;
import dev.checkpoint.kinesis.ReaderThreadsStatus;
import dev.checkpoint.testsupport.TestDynamoDb;
import dev.checkpoint.testsupport.VirtualThreadFactories;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * One worker consuming a local Kinesis stream of many shards through {@link KinesisConsumer} (polling),
 * its leases on one dynalite: how long it takes every shard, the platform threads and heap it then uses, its CPU per
 * 1,000 records while records arrive at a low rate on every shard, whether every record put was processed, and
 * whether its renewals kept up (leases lost: none may be). On platform threads (the bounded reader pool) or on virtual
 * threads (Java 21 and later).
 */
final class KinesisScaleScenario {

    private static final Logger log = LoggerFactory.getLogger(KinesisScaleScenario.class);
    /** The coordinator's default bound on renewal threads, and the renewal client's connections. */
    private static final int RENEWAL_THREADS = 64;

    /** The run's size, timing and threads. */
    record Settings(int shards, int recordsPerSecond, Duration idleInterval, Duration lease, Duration steadyWindow,
            RenewalMode mode, boolean virtualThreads, boolean kcl) {

        static Settings smoke(int shards, boolean virtualThreads) {
            return new Settings(shards, 20, Duration.ofMillis(500), Duration.ofSeconds(6), Duration.ofSeconds(5),
                    RenewalMode.LEASE, virtualThreads, false);
        }

        /**
         * 1,000 shards polled at the default 500 ms idle interval is 2,000 {@code GetRecords} a second: kinesis-local,
         * one Node process on the same 2 cores, reported CPU starvation and stopped serving after 4 s. The full run
         * polls an idle shard every 2 s instead (500 calls a second).
         */
        static Settings full(int shards, RenewalMode mode, boolean virtualThreads) {
            return new Settings(shards, 200, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60), mode,
                    virtualThreads, false);
        }

        /**
         * The Java KCL 3.5.1 (polling, as the issue asks: a thread per shard for its prefetching) with the full run's
         * rate and idle time; its lease time is its own default, 10 s, as ours here.
         */
        static Settings kcl(int shards) {
            return new Settings(shards, 200, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(60),
                    RenewalMode.LEASE, false, true);
        }

        String label() {
            return String.format(Locale.ROOT, "%,d shards, ", shards) + (kcl ? "Java KCL 3.5.1 (polling)"
                    : "ours, " + (mode == RenewalMode.LEASE ? "per-lease" : "worker") + " renewal, "
                            + (virtualThreads ? "virtual" : "platform") + " threads");
        }
    }

    /**
     * What was measured.
     *
     * @param takeAll from the start until every shard was held and read
     * @param platformThreadsAdded live platform threads in steady state, most seen, beyond those before the worker (0
     *        when none were)
     * @param readers the reader threads at the end: model, pool size; {@code null} for the KCL (a thread per shard)
     * @param mostReadsQueued most reads seen waiting for a reader thread at once
     * @param heapPerShardBytes heap in use after a collection in steady state, beyond that before, per shard held
     * @param put records put in the steady state
     * @param processed of those, processed by the end of the steady state and a drain
     * @param cpuMillisPerThousand this process's CPU time in the steady state per 1,000 records processed
     * @param cpuMillisPerSecond the same per second
     * @param leasesLost leases lost while nothing failed: must be 0
     */
    record Result(Settings settings, Duration takeAll, int platformThreadsAdded, @Nullable ReaderThreadsStatus readers,
            int mostReadsQueued, long heapPerShardBytes, int put, int processed, double cpuMillisPerThousand,
            double cpuMillisPerSecond, int leasesLost) {
    }

    private final Settings settings;
    private final KinesisClient kinesis;
    private final KinesisClient producer;
    private final StreamConsumers kclConsumers;

    /**
     * @param kinesis the consumer's client
     * @param producer the client that puts the records, as another application would: not the consumer's connections
     * @param kclConsumers where the KCL's consumer comes from, with clients of its own
     */
    KinesisScaleScenario(Settings settings, KinesisClient kinesis, KinesisClient producer, StreamConsumers kclConsumers) {
        this.settings = settings;
        this.kinesis = kinesis;
        this.producer = producer;
        this.kclConsumers = kclConsumers;
    }

    Result run() throws InterruptedException {
        String stream = "scale-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(create -> create.streamName(stream).shardCount(settings.shards()));
        Waits.until("the stream of " + settings.shards() + " shards", Duration.ofMinutes(5), Duration.ofMillis(500),
                () -> kinesis.describeStreamSummary(describe -> describe.streamName(stream)).streamDescriptionSummary()
                        .streamStatus() == StreamStatus.ACTIVE);
        int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        long heapBefore = ProcessMeasures.heapAfterCollection();
        Counts counts = new Counts();
        long started = System.nanoTime();
        try (UnderTest consumer = settings.kcl() ? kcl(stream, counts) : ours(stream, counts)) {
            Waits.until("the Kinesis scale scenario", settings.lease().multipliedBy(60), Duration.ofMillis(50),
                    consumer::holdsAndReadsAll);
            Duration takeAll = Duration.ofNanos(System.nanoTime() - started);
            log.info("Kinesis scale: {} shards taken in {}", settings.shards(), takeAll);

            int processedBefore = counts.processed.get();
            long cpuBefore = ProcessMeasures.processCpuNanos();
            long windowStart = System.nanoTime();
            int put = 0;
            int mostThreads = 0;
            int mostQueued = 0;
            while (System.nanoTime() - windowStart < settings.steadyWindow().toNanos()) {
                long second = System.nanoTime();
                put += put(stream, settings.recordsPerSecond());
                while (System.nanoTime() - second < TimeUnit.SECONDS.toNanos(1)) {
                    mostThreads = Math.max(mostThreads, ManagementFactory.getThreadMXBean().getThreadCount());
                    mostQueued = Math.max(mostQueued, consumer.queuedReads());
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
            double seconds = (System.nanoTime() - windowStart) / 1e9;
            long cpu = ProcessMeasures.processCpuNanos() - cpuBefore;
            int processedInWindow = counts.processed.get() - processedBefore;
            int expected = put;
            Waits.until("the records put, processed", Duration.ofMinutes(2), Duration.ofMillis(100),
                    () -> counts.processed.get() - processedBefore >= expected);
            long heapPerShard = Math.max(0, ProcessMeasures.heapAfterCollection() - heapBefore) / settings.shards();
            return new Result(settings, takeAll, Math.max(0, mostThreads - threadsBefore), consumer.readers(), mostQueued,
                    heapPerShard, put, counts.processed.get() - processedBefore,
                    cpu / 1e6 / Math.max(1, processedInWindow) * 1000, cpu / 1e6 / seconds, counts.lost.get());
        }
    }

    /** What the consumers under test tell: records processed, shards read, leases lost. */
    private static final class Counts {
        final AtomicInteger processed = new AtomicInteger();
        final AtomicInteger reading = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
    }

    /** The consumer measured, running. */
    private interface UnderTest extends AutoCloseable {

        boolean holdsAndReadsAll();

        /** Reads waiting for a reader thread now; 0 where the consumer does not say. */
        int queuedReads();

        /** Its reader threads, or {@code null} where the consumer has no such pool (the KCL: a thread per shard). */
        @Nullable ReaderThreadsStatus readers();

        @Override
        void close();
    }

    private UnderTest ours(String stream, Counts counts) {
        // as the starter builds them: renewals on a client of their own, with a connection for every renewal thread
        TestDynamoDb dynamoDb = TestDynamoDb.shared();
        DynamoDbClient client = dynamoDb.newClient();
        DynamoDbClient renewalClient = DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint())
                .region(dynamoDb.region()).credentialsProvider(dynamoDb.credentials())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(RENEWAL_THREADS)).build();
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(client)
                .renewalClient(renewalClient)
                .tableName("kinesis-scale-" + UUID.randomUUID().toString().substring(0, 8)).workerId("solo")
                .renewalMode(settings.mode()).leaseDuration(settings.lease()).build();
        checkpointer.init();
        KinesisConsumer.Builder consumerBuilder = KinesisConsumer.builder().kinesisClient(kinesis)
                .settings(KinesisConsumerSettings.builder().streamName(stream)
                        .initialPosition(InitialPosition.trimHorizon()).idleInterval(settings.idleInterval()).build())
                .processor(records -> counts.processed.addAndGet(records.size()));
        LeaseCoordinator.Builder coordinatorBuilder = LeaseCoordinator.builder().checkpointer(checkpointer)
                .syncInterval(settings.lease()).maxRenewalThreads(RENEWAL_THREADS);
        if (settings.virtualThreads()) {
            consumerBuilder.threadFactory(VirtualThreadFactories.named("reader-"));
            coordinatorBuilder.virtualThreads(VirtualThreadFactories.named("checkpoint-"));
        }
        KinesisConsumer consumer = consumerBuilder.build();
        LeaseCoordinator coordinator = coordinatorBuilder.shardSource(consumer.shardSource())
                .listener(new LeaseListener() {
                    @Override
                    public void leaseGained(OwnedShard shard) {
                        counts.reading.incrementAndGet();
                        consumer.leaseGained(shard);
                    }

                    @Override
                    public void leaseEnding(OwnedShard shard, EndReason reason) {
                        consumer.leaseEnding(shard, reason);
                    }

                    @Override
                    public void leaseLost(OwnedShard shard) {
                        counts.lost.incrementAndGet();
                        consumer.leaseLost(shard);
                    }
                }).build();
        coordinator.start();
        return new UnderTest() {
            @Override
            public boolean holdsAndReadsAll() {
                return coordinator.ownedShards().size() == settings.shards() && counts.reading.get() >= settings.shards();
            }

            @Override
            public int queuedReads() {
                return consumer.readerThreads().queued();
            }

            @Override
            public ReaderThreadsStatus readers() {
                return consumer.readerThreads();
            }

            @Override
            public void close() {
                coordinator.stop(Duration.ofSeconds(10));
                consumer.close(); // its idle threads end now, not a minute into the next benchmark's count of threads
                client.close();
                renewalClient.close();
            }
        };
    }

    /** The Java KCL 3.5.1's {@code Scheduler}, polling with the same idle time, its lease table on the same dynalite. */
    private UnderTest kcl(String stream, Counts counts) {
        StreamConsumers.Running running = kclConsumers.kcl(stream, settings.idleInterval(),
                record -> counts.processed.incrementAndGet(), new StreamConsumers.ShardEvents() {
                    @Override
                    public void started() {
                        counts.reading.incrementAndGet();
                    }

                    @Override
                    public void lost() {
                        counts.lost.incrementAndGet();
                    }
                });
        return new UnderTest() {
            @Override
            public boolean holdsAndReadsAll() {
                return counts.reading.get() >= settings.shards();
            }

            @Override
            public int queuedReads() {
                return 0;
            }

            @Override
            public @Nullable ReaderThreadsStatus readers() {
                return null;
            }

            @Override
            public void close() {
                running.close();
            }
        };
    }

    /** Puts {@code count} records with random keys, so that they spread over the shards. @return how many */
    private int put(String stream, int count) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey(Long.toString(ThreadLocalRandom.current().nextLong()))
                    .data(SdkBytes.fromString("record-" + i, StandardCharsets.UTF_8)).build());
        }
        for (int from = 0; from < entries.size(); from += 500) {
            List<PutRecordsRequestEntry> batch = entries.subList(from, Math.min(entries.size(), from + 500));
            int failed = producer.putRecords(request -> request.streamName(stream).records(batch)).failedRecordCount();
            if (failed > 0) {
                throw new IllegalStateException(failed + " records were not put");
            }
        }
        return count;
    }

    /** The results side by side, into {@code kinesis-scale-<java>.md}. */
    static void write(List<Result> results, Path output) throws IOException {
        Files.createDirectories(output);
        Settings s = results.get(0).settings();
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, """
                **One worker consuming a kinesis-local stream, Java %d, one dynalite** (polling, an idle shard every
                %d ms, other settings the consumer's defaults; lease %d s; %d records a second over all shards, steady
                state over %d s)

                | |""", Runtime.version().feature(), s.idleInterval().toMillis(), s.lease().toSeconds(),
                s.recordsPerSecond(), s.steadyWindow().toSeconds()));
        results.forEach(result -> markdown.append(' ').append(result.settings().label()).append(" |"));
        markdown.append("\n|---|").append("---|".repeat(results.size())).append('\n');
        row(markdown, "all shards held and read after the start", results,
                r -> String.format(Locale.ROOT, "%.1f s", r.takeAll().toMillis() / 1e3));
        row(markdown, "platform threads added (most seen)", results, r -> Integer.toString(r.platformThreadsAdded()));
        row(markdown, "reader threads; most reads queued for one", results, r -> r.readers() == null ? "one per shard"
                : (r.readers().maxThreads() == 0 ? "one virtual per read" : r.readers().maxThreads() + " platform") + "; "
                        + r.mostReadsQueued());
        row(markdown, "heap per shard held", results,
                r -> String.format(Locale.ROOT, "%.1f KB", r.heapPerShardBytes() / 1024.0));
        row(markdown, "records put; processed", results, r -> String.format(Locale.ROOT, "%,d; %,d", r.put(), r.processed()));
        row(markdown, "CPU of this process per 1,000 records (per second)", results,
                r -> String.format(Locale.ROOT, "%.0f ms (%.0f ms/s)", r.cpuMillisPerThousand(), r.cpuMillisPerSecond()));
        row(markdown, "leases lost", results, r -> "**" + r.leasesLost() + "**");
        Files.writeString(output.resolve("kinesis-scale-java" + Runtime.version().feature() + ".md"), markdown.toString());
    }
}
