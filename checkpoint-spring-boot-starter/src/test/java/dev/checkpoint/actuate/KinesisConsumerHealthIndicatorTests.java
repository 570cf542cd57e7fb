package dev.checkpoint.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Map;

import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.KinesisShardSource;
import dev.checkpoint.kinesis.ShardConsumerStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** The lag each shard's reader last heard, shown; DOWN above the maximum lag only when one is set. */
class KinesisConsumerHealthIndicatorTests {

    private final KinesisConsumer consumer = mock(KinesisConsumer.class);

    @Test
    void upWithEachShardsLagWhenNoMaximumIsSet() {
        readers(5_000L, 20L);

        Health health = new KinesisConsumerHealthIndicator(consumer, null).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("stream", "orders")
                .containsEntry("millisBehindLatest", Map.of("shard-1", 5_000L, "shard-2", 20L));
    }

    @Test
    void downNamingTheShardFurthestBehindWhenOneIsBeyondTheMaximum() {
        readers(5_000L, 20L);

        Health health = new KinesisConsumerHealthIndicator(consumer, Duration.ofSeconds(1)).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason")).asString().contains("shard-1").contains("5000 ms");
    }

    @Test
    void upWhenEveryShardIsWithinTheMaximum() {
        readers(900L, 20L);

        assertThat(new KinesisConsumerHealthIndicator(consumer, Duration.ofSeconds(1)).health(true).getStatus())
                .isEqualTo(Status.UP);
    }

    private void readers(long firstLag, long secondLag) {
        KinesisShardSource source = mock(KinesisShardSource.class);
        when(source.stream()).thenReturn("orders");
        when(consumer.shardSource()).thenReturn(source);
        when(consumer.status()).thenReturn(Map.of(
                "shard-1", new ShardConsumerStatus("shard-1", "reading", firstLag, 10, 1000, 0, "1", Duration.ZERO),
                "shard-2", new ShardConsumerStatus("shard-2", "reading", secondLag, 10, 1000, 0, "2", Duration.ZERO)));
    }
}
