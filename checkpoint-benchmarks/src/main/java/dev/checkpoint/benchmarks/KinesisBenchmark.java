package dev.checkpoint.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Consumption of one shard, ours beside the Java KCL's, each polling and with enhanced fan-out, in one run on one
 * kinesis-local: records per second through a shard consumer (a stream filled beforehand, read from the trim horizon),
 * the client's CPU per 1,000 of those records (the whole JVM's, while only that consumer runs), and the latency from
 * put to process while records arrive at a steady rate. Each consumer runs alone; polling ones with the same idle time
 * between empty reads, and (in the full run) once more with their own default. "First record after" includes each
 * one's start-up.
 */
final class KinesisBenchmark {

    /** How much to measure. */
    record Settings(int records, Duration steadyFor, int perSecond) {
        static final Settings SMOKE = new Settings(5_000, Duration.ofSeconds(3), 50);
        /**
         * 15,000 records: kinesis-local 0.6.2 takes longer for each put as a shard grows (a put of 500 records took
         * 0.2 s into an empty shard, 2 s at 10,000 records and 8 s at 30,000), and 50,000 did not fill in the
         * client's timeouts.
         */
        static final Settings FULL = new Settings(15_000, Duration.ofSeconds(30), 100);
    }

    /** One consumer's figures. */
    record Result(String consumer, String idle, double recordsPerSecond, double firstRecordSeconds,
            double cpuMillisPerThousand, long p50Millis, long p99Millis, long maxMillis, int put, int latencySamples) {
    }

    /** A consumer to start on a stream. */
    interface Contender {
        StreamConsumers.Running start(String stream, Consumer<SdkBytes> sink);
    }

    private final KinesisClient kinesis;
    private final Settings settings;

    KinesisBenchmark(KinesisClient kinesis, Settings settings) {
        this.kinesis = kinesis;
        this.settings = settings;
    }

    /**
     * One consumer, started once on a new stream of one shard: first the records put beforehand, read from the trim
     * horizon as fast as it goes; then records put at a steady rate, each timed from put to process.
     */
    Result measure(String consumer, String idle, Contender contender) throws InterruptedException {
        String stream = createStream();
        fill(stream, settings.records());
        AtomicInteger filled = new AtomicInteger();
        AtomicLong first = new AtomicLong();
        AtomicLong cpuAtFirst = new AtomicLong();
        AtomicLong last = new AtomicLong();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        long started = System.nanoTime();
        int sent = 0;
        double rate;
        double firstRecord;
        double cpuPerThousand;
        try (StreamConsumers.Running running = contender.start(stream, data -> {
            long now = System.nanoTime();
            String text = data.asUtf8String();
            if (text.startsWith("at:")) {
                latencies.add((now - Long.parseLong(text.substring(3))) / 1_000_000);
                return;
            }
            if (filled.incrementAndGet() == 1) {
                first.set(now);
                cpuAtFirst.set(ProcessMeasures.processCpuNanos());
            }
            last.set(now);
        })) {
            awaitCount(filled, settings.records(), Duration.ofMinutes(5));
            cpuPerThousand = (ProcessMeasures.processCpuNanos() - cpuAtFirst.get()) / 1e6 / (settings.records() - 1)
                    * 1000;
            rate = (settings.records() - 1) * 1e9 / Math.max(1, last.get() - first.get());
            firstRecord = (first.get() - started) / 1e9;

            long interval = 1_000_000_000L / settings.perSecond();
            long end = System.nanoTime() + settings.steadyFor().toNanos();
            for (long next = System.nanoTime(); next < end; next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                put(stream, "at:" + System.nanoTime());
                sent++;
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (latencies.size() < sent && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        return new Result(consumer, idle, rate, firstRecord, cpuPerThousand, percentile(sorted, 50), percentile(sorted, 99),
                sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1), sent, sorted.size());
    }

    static void write(List<Result> results, Settings settings, Path output) throws IOException {
        StringBuilder table = new StringBuilder("# Kinesis consumption: one shard, ours beside the Java KCL 3.5.1, polling "
                + "and enhanced fan-out\n\n")
                .append(String.format(Locale.ROOT, "%,d records of 100 bytes read from the trim horizon; then %d records a second"
                        + " for %d s, put to process. One kinesis-local (0.6.2), one dynalite, this machine's two cores.%n%n",
                        settings.records(), settings.perSecond(), settings.steadyFor().toSeconds()))
                .append(settings == Settings.SMOKE ? "Smoke run: ours alone (the KCL's start takes 70 to 85 s here); the "
                        + "full run (`-Pbenchmarks`) compares both.\n\n" : "")
                .append("| consumer | idle between empty reads | records/s | first record after | client CPU / 1,000 records "
                        + "| latency p50 | p99 | max |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (Result result : results) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %.1f s | %.1f ms | %d ms | %d ms | %d ms |%n",
                    result.consumer(), result.idle(), result.recordsPerSecond(), result.firstRecordSeconds(),
                    result.cpuMillisPerThousand(), result.p50Millis(), result.p99Millis(), result.maxMillis()));
        }
        Files.createDirectories(output);
        Files.writeString(output.resolve("kinesis.md"), table.toString());
    }

    private String createStream() {
        String stream = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(create -> create.streamName(stream).shardCount(1));
        for (int i = 0; i < 200 && kinesis.describeStreamSummary(d -> d.streamName(stream)).streamDescriptionSummary()
                .streamStatus() != StreamStatus.ACTIVE; i++) {
            sleep(Duration.ofMillis(100));
        }
        return stream;
    }

    private void fill(String stream, int count) {
        String padding = "x".repeat(96);
        for (int from = 0; from < count; from += 500) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(count, from + 500); i++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("k" + i)
                        .data(SdkBytes.fromString(String.format("%04d", i % 10_000) + padding, StandardCharsets.UTF_8)).build());
            }
            kinesis.putRecords(put -> put.streamName(stream).records(entries));
        }
    }

    private void put(String stream, String data) {
        kinesis.putRecord(put -> put.streamName(stream).partitionKey("k").data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
    }

    private static void awaitCount(AtomicInteger count, int expected, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (count.get() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + count.get() + " of " + expected + " records within " + limit);
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private static long percentile(List<Long> sorted, int percent) {
        return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percent / 100.0) - 1));
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
