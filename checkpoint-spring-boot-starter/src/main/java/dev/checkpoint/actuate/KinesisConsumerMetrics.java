package dev.checkpoint.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.MonotonicClock;
import dev.checkpoint.kinesis.ShardConsumerListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of the Kinesis consumer, tagged {@code shard}:
 * <ul>
 * <li>{@code checkpoint.kinesis.records} and {@code checkpoint.kinesis.bytes}: counters of what the processor got
 * through;</li>
 * <li>{@code checkpoint.kinesis.processing}: timer of the processor's batches;</li>
 * <li>{@code checkpoint.kinesis.failures}: counter of failed attempts, tagged {@code outcome} {@code retried},
 * {@code skipped} or {@code handed-off};</li>
 * <li>{@code checkpoint.kinesis.throttled}: counter of throttled reads;</li>
 * <li>{@code checkpoint.kinesis.millis.behind.latest}: gauge of the reader's distance from the shard's tip: what the
 * last read said, plus, while reads fail, the time since the last one that worked;</li>
 * <li>{@code checkpoint.kinesis.checkpoint.age}: gauge of the seconds since the shard's last checkpoint.</li>
 * </ul>
 * A shard's gauges are removed when its consumer ends, so that shards gone leave nothing behind.
 */
public class KinesisConsumerMetrics implements MeterBinder, ShardConsumerListener {

    private final MonotonicClock clock;
    private final Map<String, ShardGauges> gauges = new ConcurrentHashMap<>();
    private volatile @Nullable MeterRegistry registry;

    public KinesisConsumerMetrics(MonotonicClock clock) {
        this.clock = clock;
    }

    /** A shard's gauge values and its gauges. */
    private final class ShardGauges {

        volatile double millisBehindLatest = Double.NaN;
        volatile long fetchedAtNanos = clock.nanoTime();
        volatile boolean readsFailing;
        volatile long checkpointedAtNanos;
        final List<Meter> meters;

        ShardGauges(String shardId, MeterRegistry registry) {
            this.meters = List.of(
                    Gauge.builder("checkpoint.kinesis.millis.behind.latest", this, ShardGauges::lagMillis)
                            .description("How far behind the shard's tip the reader is").baseUnit("milliseconds")
                            .tags(Tags.of("shard", shardId)).register(registry),
                    Gauge.builder("checkpoint.kinesis.checkpoint.age", this, ShardGauges::checkpointAgeSeconds)
                            .description("Time since the shard's last checkpoint").baseUnit("seconds")
                            .tags(Tags.of("shard", shardId)).register(registry));
        }

        /** What the last read said; while reads fail, plus the time since the last one that worked. */
        double lagMillis() {
            if (!readsFailing) {
                return millisBehindLatest;
            }
            double base = Double.isNaN(millisBehindLatest) ? 0 : millisBehindLatest;
            return base + (clock.nanoTime() - fetchedAtNanos) / 1e6;
        }

        double checkpointAgeSeconds() {
            long at = checkpointedAtNanos;
            return at == 0 ? Double.NaN : (clock.nanoTime() - at) / 1e9;
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void fetched(String shardId, int records, @Nullable Long millisBehindLatest) {
        ShardGauges shard = gaugesOf(shardId);
        if (shard != null) {
            if (millisBehindLatest != null) {
                shard.millisBehindLatest = millisBehindLatest;
            }
            shard.fetchedAtNanos = clock.nanoTime();
            shard.readsFailing = false;
        }
    }

    @Override
    public void readFailed(String shardId, String error) {
        ShardGauges shard = gaugesOf(shardId);
        if (shard != null) {
            shard.readsFailing = true;
        }
    }

    @Override
    public void throttled(String shardId) {
        counter("checkpoint.kinesis.throttled", "Reads Kinesis throttled", shardId, Tags.empty(), 1);
    }

    @Override
    public void processed(String shardId, int records, long bytes, Duration took) {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        counter("checkpoint.kinesis.records", "Records processed", shardId, Tags.empty(), records);
        counter("checkpoint.kinesis.bytes", "Bytes of records processed", shardId, Tags.empty(), bytes);
        Timer.builder("checkpoint.kinesis.processing").description("Time the processor took per batch")
                .tags(Tags.of("shard", shardId)).register(meters).record(took);
    }

    @Override
    public void processingFailed(String shardId, int attempt, Exception failure) {
        counter("checkpoint.kinesis.failures", "Failed processing attempts", shardId, Tags.of("outcome", "retried"), 1);
    }

    @Override
    public void skipped(String shardId, int records) {
        counter("checkpoint.kinesis.failures", "Failed processing attempts", shardId, Tags.of("outcome", "skipped"), 1);
    }

    @Override
    public void handedOff(String shardId) {
        counter("checkpoint.kinesis.failures", "Failed processing attempts", shardId, Tags.of("outcome", "handed-off"), 1);
    }

    @Override
    public void checkpointed(String shardId, String sequenceNumber) {
        ShardGauges shard = gaugesOf(shardId);
        if (shard != null) {
            shard.checkpointedAtNanos = clock.nanoTime();
        }
    }

    @Override
    public void stopped(String shardId) {
        ShardGauges shard = gauges.remove(shardId);
        MeterRegistry meters = registry;
        if (shard != null && meters != null) {
            shard.meters.forEach(meters::remove);
        }
    }

    private @Nullable ShardGauges gaugesOf(String shardId) {
        MeterRegistry meters = registry;
        return meters == null ? null : gauges.computeIfAbsent(shardId, id -> new ShardGauges(id, meters));
    }

    private void counter(String name, String description, String shardId, Tags tags, double amount) {
        MeterRegistry meters = registry;
        if (meters != null) {
            Counter.builder(name).description(description).tags(tags.and("shard", shardId)).register(meters)
                    .increment(amount);
        }
    }
}
