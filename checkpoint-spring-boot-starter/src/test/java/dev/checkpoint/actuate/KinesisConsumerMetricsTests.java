package dev.checkpoint.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The lag gauge tells the truth when reads fail: it grows with the time since the last read that worked. */
class KinesisConsumerMetricsTests {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final KinesisConsumerMetrics metrics = new KinesisConsumerMetrics(now::get);

    @Test
    void theLagIsWhatTheLastReadSaidWhileReadsWorkAndGrowsWhileTheyFail() {
        metrics.bindTo(registry);

        metrics.fetched("shard-1", 5, 1_000L);
        assertThat(lag()).isEqualTo(1_000.0);
        now.addAndGet(TimeUnit.SECONDS.toNanos(1));
        assertThat(lag()).as("reads work: as Kinesis said").isEqualTo(1_000.0);

        metrics.readFailed("shard-1", "AccessDeniedException");
        now.addAndGet(TimeUnit.SECONDS.toNanos(3));
        assertThat(lag()).as("1 s since the last read that worked, then 3 s of failing reads").isEqualTo(5_000.0);

        metrics.fetched("shard-1", 5, 200L);
        assertThat(lag()).isEqualTo(200.0);
    }

    private double lag() {
        return registry.get("checkpoint.kinesis.millis.behind.latest").tag("shard", "shard-1").gauge().value();
    }
}
