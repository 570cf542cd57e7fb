package dev.checkpoint.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.ShardConsumerStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code kinesis} health component: how far behind the stream's tip each shard this instance reads is. UP, with
 * the lag of each shard; DOWN when a maximum lag is set and a shard is further behind than that, naming it. No
 * request: it reads what the shards' readers last heard from Kinesis.
 */
public class KinesisConsumerHealthIndicator extends AbstractHealthIndicator {

    private final KinesisConsumer consumer;
    private final @Nullable Duration maxLag;

    /** @param maxLag the lag above which the component is DOWN, or {@code null} for never */
    public KinesisConsumerHealthIndicator(KinesisConsumer consumer, @Nullable Duration maxLag) {
        super("Kinesis consumer health check failed");
        this.consumer = consumer;
        this.maxLag = maxLag;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, @Nullable Long> lagByShard = new TreeMap<>();
        String furthest = null;
        long furthestLag = -1;
        for (ShardConsumerStatus status : consumer.status().values()) {
            Long lag = status.millisBehindLatest();
            lagByShard.put(status.shardId(), lag);
            if (lag != null && lag > furthestLag) {
                furthest = status.shardId();
                furthestLag = lag;
            }
        }
        builder.withDetail("stream", consumer.shardSource().stream()).withDetail("millisBehindLatest", lagByShard);
        if (maxLag != null) {
            builder.withDetail("maxLagMillis", maxLag.toMillis());
        }
        if (maxLag != null && furthest != null && furthestLag > maxLag.toMillis()) {
            builder.down().withDetail("reason", "shard " + furthest + " is " + furthestLag + " ms behind the stream's tip, more than "
                    + maxLag.toMillis() + " ms");
        }
        else {
            builder.up();
        }
    }
}
