package dev.checkpoint.benchmarks;

import static dev.checkpoint.benchmarks.ResultTable.row;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.kinesis.InitialPosition;
import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.KinesisConsumerSettings;
import dev.checkpoint.kinesis.KinesisRecord;
import dev.checkpoint.kinesis.Retrieval;
import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.LocalKinesisClients;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A rolling restart under load, through the Kinesis consumer: instances of one application (each its own consumer,
 * coordinator and clients, on one lease table) read a stream while another client puts records at a steady rate; each
 * instance in turn is replaced by a new one (started, then the old one stopped gracefully once the new one holds a
 * shard), as a deployment does. Measured: the longest any shard went without a record processed, before the restart
 * (the consumer's own pace) and during it, and the records processed twice. Polling or enhanced fan-out.
 */
final class RollingRestartScenario {

    private static final Logger log = LoggerFactory.getLogger(RollingRestartScenario.class);

    /** The run's size and retrieval; leases, renewals, syncs and lease stealing are the starter's defaults. */
    record Settings(int shards, int instances, int recordsPerSecond, Duration steady, Retrieval retrieval) {

        /** Six shards over two instances: each replacement's fair share (two) is more than it holds, so it claims. */
        static Settings smoke(Retrieval retrieval) {
            return new Settings(6, 2, 60, Duration.ofSeconds(3), retrieval);
        }

        static Settings full(Retrieval retrieval) {
            return new Settings(12, 3, 300, Duration.ofSeconds(20), retrieval);
        }
    }

    /**
     * What was measured.
     *
     * @param longestUnreadBefore the longest gap between two records processed of one shard in the steady state before
     *        the restart: the consumer's own pace, the floor of what a restart can show
     * @param longestUnreadDuring the same from the first replacement's start until the steady window after the last stop
     * @param restart from the first replacement's start until the last old instance stopped
     * @param put records put
     * @param processed distinct records processed
     * @param processedTwice records processed more than once (each extra time counted)
     */
    record Result(Settings settings, Duration longestUnreadBefore, Duration longestUnreadDuring, Duration restart, int put,
            int processed, int processedTwice) {
    }

    private final Settings settings;
    private final LocalAwsServer kinesisServer;
    private final KinesisClient kinesis;
    private final String table = TestDynamoDb.uniqueTableName("rolling");
    private final Map<String, AtomicInteger> timesProcessed = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedQueue<Long>> processedAt = new ConcurrentHashMap<>();

    RollingRestartScenario(Settings settings, LocalAwsServer kinesisServer, KinesisClient kinesis) {
        this.settings = settings;
        this.kinesisServer = kinesisServer;
        this.kinesis = kinesis;
    }

    Result run() throws Exception {
        String stream = "rolling-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(create -> create.streamName(stream).shardCount(settings.shards()));
        Waits.until("the stream", Duration.ofMinutes(2), Duration.ofMillis(200), () -> kinesis
                .describeStreamSummary(describe -> describe.streamName(stream)).streamDescriptionSummary()
                .streamStatus() == StreamStatus.ACTIVE);
        List<Instance> running = new ArrayList<>();
        Producer producer = new Producer(stream);
        try {
            for (int i = 1; i <= settings.instances(); i++) {
                running.add(new Instance("i" + i, stream));
            }
            producer.start();
            Waits.until("every shard read", Duration.ofMinutes(3), Duration.ofMillis(100),
                    () -> processedAt.size() == settings.shards());
            long steadyFrom = System.nanoTime();
            Thread.sleep(settings.steady().toMillis());
            long restartFrom = System.nanoTime();
            for (int i = 0; i < settings.instances(); i++) {
                Instance old = running.remove(0);
                Instance replacement = new Instance(old.workerId + "-new", stream);
                running.add(replacement);
                Waits.until("the replacement holding a shard", Duration.ofMinutes(2), Duration.ofMillis(50),
                        () -> !replacement.coordinator.ownedShards().isEmpty());
                old.close();
            }
            long restartTo = System.nanoTime();
            Thread.sleep(settings.steady().toMillis());
            long measuredTo = System.nanoTime();
            producer.close();
            int put = producer.put.get();
            Waits.until("every record put, processed", Duration.ofMinutes(2), Duration.ofMillis(100),
                    () -> timesProcessed.size() >= put);
            int twice = timesProcessed.values().stream().mapToInt(times -> times.get() - 1).sum();
            return new Result(settings, longestGap(steadyFrom, restartFrom), longestGap(restartFrom, measuredTo),
                    Duration.ofNanos(restartTo - restartFrom), put, timesProcessed.size(), twice);
        }
        finally {
            producer.close();
            running.forEach(Instance::close);
        }
    }

    /** The longest time between two records processed of one shard, within [from, to]. */
    private Duration longestGap(long from, long to) {
        long longest = 0;
        for (ConcurrentLinkedQueue<Long> times : processedAt.values()) {
            long previous = from;
            for (long at : times.stream().sorted().toList()) {
                if (at < from || at > to) {
                    continue;
                }
                longest = Math.max(longest, at - previous);
                previous = at;
            }
            longest = Math.max(longest, to - previous);
        }
        return Duration.ofNanos(longest);
    }

    private void processed(List<KinesisRecord> records) {
        long now = System.nanoTime();
        for (KinesisRecord record : records) {
            timesProcessed.computeIfAbsent(record.data().asUtf8String(), id -> new AtomicInteger()).incrementAndGet();
            processedAt.computeIfAbsent(record.shardId(), shard -> new ConcurrentLinkedQueue<>()).add(now);
        }
    }

    /** One instance of the application: its clients, consumer and coordinator, started at once. */
    private final class Instance implements AutoCloseable {

        final String workerId;
        final LeaseCoordinator coordinator;
        private final KinesisConsumer consumer;
        private final KinesisClient kinesisClient;
        private final @Nullable KinesisAsyncClient subscriber;
        private final DynamoDbClient dynamoDb;
        private boolean closed;

        Instance(String workerId, String stream) {
            this.workerId = workerId;
            TestDynamoDb local = TestDynamoDb.shared();
            dynamoDb = local.newClient();
            kinesisClient = KinesisClient.builder().endpointOverride(kinesisServer.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(local.credentials()).build();
            boolean fanOut = settings.retrieval() == Retrieval.FAN_OUT;
            subscriber = fanOut ? LocalKinesisClients.asyncClient(kinesisServer) : null;
            // lease stealing on, as the starter has it: a replacement claims its share before the old instance stops
            DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(dynamoDb).tableName(table)
                    .workerId(workerId).enableLeaseStealing(true).build();
            checkpointer.init();
            KinesisConsumer.Builder builder = KinesisConsumer.builder().kinesisClient(kinesisClient)
                    .settings(KinesisConsumerSettings.builder().streamName(stream)
                            .initialPosition(InitialPosition.trimHorizon()).retrieval(settings.retrieval())
                            .consumerName(fanOut ? "rolling" : null).build())
                    .processor(RollingRestartScenario.this::processed);
            if (subscriber != null) {
                builder.kinesisAsyncClient(subscriber);
            }
            consumer = builder.build();
            coordinator = LeaseCoordinator.builder().checkpointer(checkpointer).shardSource(consumer.shardSource())
                    .listener(consumer).build();
            coordinator.start();
        }

        /** A graceful stop: each shard's last checkpoint written and its lease handed to a live instance. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            coordinator.stop(Duration.ofSeconds(10));
            consumer.close();
            kinesisClient.close();
            if (subscriber != null) {
                subscriber.close();
            }
            dynamoDb.close();
        }
    }

    /** Puts records at the settings' rate, in ten batches a second, each record's data unique. */
    private final class Producer implements AutoCloseable {

        final AtomicInteger put = new AtomicInteger();
        private final String stream;
        private final Thread thread;
        private volatile boolean stopped;

        Producer(String stream) {
            this.stream = stream;
            this.thread = new Thread(this::putAtRate, "rolling-producer");
        }

        void start() {
            thread.start();
        }

        private void putAtRate() {
            int perBatch = Math.max(1, settings.recordsPerSecond() / 10);
            long next = System.nanoTime();
            while (!stopped) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < perBatch; i++) {
                    entries.add(PutRecordsRequestEntry.builder()
                            .partitionKey(Long.toString(ThreadLocalRandom.current().nextLong()))
                            .data(SdkBytes.fromString("r" + (put.get() + i), StandardCharsets.UTF_8)).build());
                }
                int failed = kinesis.putRecords(request -> request.streamName(stream).records(entries)).failedRecordCount();
                if (failed > 0) {
                    throw new IllegalStateException(failed + " records were not put");
                }
                put.addAndGet(perBatch);
                next += 100_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait / 1_000_000);
                    }
                    catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stopped = true;
            thread.join();
        }
    }

    /** The results side by side, into {@code rolling-restart.md}. */
    static void write(List<Result> results, Path output) throws IOException {
        Files.createDirectories(output);
        Settings s = results.get(0).settings();
        StringBuilder markdown = new StringBuilder(String.format(Locale.ROOT, """
                **A rolling restart under load, through the Kinesis consumer, on kinesis-local and dynalite** (%d shards,
                %d instances each replaced in turn, %d records a second; lease, renewal and sync the library's
                defaults: 10 s, 3.3 s, 10 s)

                | |""", s.shards(), s.instances(), s.recordsPerSecond()));
        results.forEach(result -> markdown.append(" ours, ").append(result.settings().retrieval() == Retrieval.FAN_OUT
                ? "fan-out" : "polling").append(" |"));
        markdown.append("\n|---|").append("---|".repeat(results.size())).append('\n');
        row(markdown, "longest a shard went unread, steady state before", results,
                r -> String.format(Locale.ROOT, "%,d ms", r.longestUnreadBefore().toMillis()));
        row(markdown, "longest a shard went unread, during the restart", results,
                r -> String.format(Locale.ROOT, "**%,d ms**", r.longestUnreadDuring().toMillis()));
        row(markdown, "the restart (first start to last stop)", results,
                r -> String.format(Locale.ROOT, "%.1f s", r.restart().toMillis() / 1e3));
        row(markdown, "records put; processed", results, r -> String.format(Locale.ROOT, "%,d; %,d", r.put(), r.processed()));
        row(markdown, "records processed twice", results, r -> "**" + r.processedTwice() + "**");
        Files.writeString(output.resolve("rolling-restart.md"), markdown.toString());
    }
}
