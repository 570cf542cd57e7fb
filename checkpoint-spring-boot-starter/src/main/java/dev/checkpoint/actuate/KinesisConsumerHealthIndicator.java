package dev.checkpoint.actuate;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.KinesisShardSource;
import dev.checkpoint.kinesis.ShardConsumerStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code kinesis} health component: how far behind the stream's tip each shard this instance reads is, and what
 * fails. DOWN, naming the reason, when the stream does not exist, when the stream's listing or a shard's reads have
 * failed for longer than the maximum read failure, or when a maximum lag is set and a shard is further behind than
 * that; while reads fail, a shard's lag grows with the time since its last read that worked. No request: it reads what
 * the readers last heard from Kinesis.
 */
public class KinesisConsumerHealthIndicator extends AbstractHealthIndicator {

    private final KinesisConsumer consumer;
    private final @Nullable Duration maxLag;
    private final Duration maxReadFailure;

    /**
     * @param maxLag the lag above which the component is DOWN, or {@code null} for never
     * @param maxReadFailure how long reads or the listing may fail before the component is DOWN
     */
    public KinesisConsumerHealthIndicator(KinesisConsumer consumer, @Nullable Duration maxLag, Duration maxReadFailure) {
        super("Kinesis consumer health check failed");
        this.consumer = consumer;
        this.maxLag = maxLag;
        this.maxReadFailure = maxReadFailure;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, @Nullable Long> lagByShard = new TreeMap<>();
        Map<String, String> readErrors = new TreeMap<>();
        String down = null;
        String furthest = null;
        long furthestLag = -1;
        for (ShardConsumerStatus status : consumer.status().values()) {
            Long lag = status.millisBehindLatest();
            lagByShard.put(status.shardId(), lag);
            if (lag != null && lag > furthestLag) {
                furthest = status.shardId();
                furthestLag = lag;
            }
            if (status.lastReadError() != null) {
                readErrors.put(status.shardId(), status.lastReadError());
                if (down == null && status.readsFailingFor() != null && status.readsFailingFor().compareTo(maxReadFailure) > 0) {
                    down = "reads of shard " + status.shardId() + " have failed for " + status.readsFailingFor().toMillis()
                            + " ms, more than " + maxReadFailure.toMillis() + " ms: " + status.lastReadError();
                }
            }
        }
        KinesisShardSource source = consumer.shardSource();
        builder.withDetail("stream", source.stream())
                .withDetail("retrieval", consumer.retrieval().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (consumer.consumerArn() != null) {
            builder.withDetail("consumerArn", consumer.consumerArn());
        }
        builder.withDetail("readerThreads", consumer.readerThreads());
        builder.withDetail("millisBehindLatest", lagByShard);
        if (!readErrors.isEmpty()) {
            builder.withDetail("readErrors", readErrors);
        }
        if (source.listingError() != null) {
            builder.withDetail("listingError", source.listingError());
        }
        if (maxLag != null) {
            builder.withDetail("maxLagMillis", maxLag.toMillis());
        }
        String listingDown = listingDown(source);
        if (listingDown != null) {
            down = listingDown;
        }
        if (down == null && maxLag != null && furthest != null && furthestLag > maxLag.toMillis()) {
            down = "shard " + furthest + " is " + furthestLag + " ms behind the stream's tip, more than " + maxLag.toMillis()
                    + " ms";
        }
        if (down != null) {
            builder.down().withDetail("reason", down);
        }
        else {
            builder.up();
        }
    }

    private @Nullable String listingDown(KinesisShardSource source) {
        if (source.streamMissing()) {
            return "stream " + source.stream() + " does not exist: " + source.listingError();
        }
        Duration failing = source.listingFailingFor();
        if (failing != null && failing.compareTo(maxReadFailure) > 0) {
            return "listing the shards of " + source.stream() + " has failed for " + failing.toMillis() + " ms: "
                    + source.listingError();
        }
        return null;
    }
}
