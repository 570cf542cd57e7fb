package dev.checkpoint.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Map;

import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.ReaderThreadsStatus;
import dev.checkpoint.kinesis.Retrieval;
import dev.checkpoint.kinesis.KinesisShardSource;
import dev.checkpoint.kinesis.ShardConsumerStatus;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The lag of each shard, shown; DOWN above the maximum lag when one is set, when reads or the listing have failed for
 * longer than the maximum read failure, and at once for a stream that does not exist.
 */
class KinesisConsumerHealthIndicatorTests {

    private static final Duration MAX_READ_FAILURE = Duration.ofMinutes(1);

    private static final ReaderThreadsStatus READER_THREADS = new ReaderThreadsStatus("platform", 64, 2, 0);

    private final KinesisConsumer consumer = mock(KinesisConsumer.class);
    private final KinesisShardSource source = mock(KinesisShardSource.class);

    @Test
    void upWithEachShardsLagWhenNoMaximumIsSet() {
        readers(5_000L, 20L);

        Health health = new KinesisConsumerHealthIndicator(consumer, null, MAX_READ_FAILURE).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("stream", "orders").containsEntry("retrieval", "polling")
                .containsEntry("millisBehindLatest", Map.of("shard-1", 5_000L, "shard-2", 20L))
                .containsEntry("readerThreads", READER_THREADS);
    }

    @Test
    void downNamingTheShardFurthestBehindWhenOneIsBeyondTheMaximum() {
        readers(5_000L, 20L);

        Health health = new KinesisConsumerHealthIndicator(consumer, Duration.ofSeconds(1), MAX_READ_FAILURE).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason")).asString().contains("shard-1").contains("5000 ms");
    }

    @Test
    void upWhenEveryShardIsWithinTheMaximum() {
        readers(900L, 20L);

        assertThat(new KinesisConsumerHealthIndicator(consumer, Duration.ofSeconds(1), MAX_READ_FAILURE).health(true).getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    void upShowingTheErrorWhileReadsHaveFailedForLessThanTheMaximum() {
        statuses(failing("shard-1", Duration.ofSeconds(20)));

        Health health = new KinesisConsumerHealthIndicator(consumer, null, MAX_READ_FAILURE).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("readErrors", Map.of("shard-1", "AccessDeniedException"));
    }

    @Test
    void downNamingTheShardAndErrorOnceReadsHaveFailedForLongerThanTheMaximum() {
        statuses(failing("shard-1", Duration.ofSeconds(61)));

        Health health = new KinesisConsumerHealthIndicator(consumer, null, MAX_READ_FAILURE).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason")).asString().contains("shard-1").contains("AccessDeniedException");
    }

    @Test
    void downAtOnceWhenTheStreamDoesNotExist() {
        statuses();
        when(source.streamMissing()).thenReturn(true);
        when(source.listingError()).thenReturn("ResourceNotFoundException: Stream ordres not found");

        Health health = new KinesisConsumerHealthIndicator(consumer, null, MAX_READ_FAILURE).health(true);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason")).asString().contains("does not exist").contains("ordres");
    }

    @Test
    void downWhenTheListingHasFailedForLongerThanTheMaximum() {
        statuses();
        when(source.listingError()).thenReturn("SdkClientException: connection refused");
        when(source.listingFailingFor()).thenReturn(Duration.ofMinutes(2));

        assertThat(new KinesisConsumerHealthIndicator(consumer, null, MAX_READ_FAILURE).health(true).getStatus())
                .isEqualTo(Status.DOWN);
    }

    private void readers(long firstLag, long secondLag) {
        statuses(new ShardConsumerStatus("shard-1", "reading", firstLag, 10, 1000, 0, "1", Duration.ZERO, null, null),
                new ShardConsumerStatus("shard-2", "reading", secondLag, 10, 1000, 0, "2", Duration.ZERO, null, null));
    }

    private static ShardConsumerStatus failing(String shardId, Duration failingFor) {
        return new ShardConsumerStatus(shardId, "reading", failingFor.toMillis(), 10, 1000, 0, "1", Duration.ZERO,
                "AccessDeniedException", failingFor);
    }

    private void statuses(ShardConsumerStatus... statuses) {
        when(source.stream()).thenReturn("orders");
        when(consumer.shardSource()).thenReturn(source);
        when(consumer.retrieval()).thenReturn(Retrieval.POLLING);
        when(consumer.readerThreads()).thenReturn(READER_THREADS);
        Map<String, ShardConsumerStatus> byShard = new java.util.TreeMap<>();
        for (ShardConsumerStatus status : statuses) {
            byShard.put(status.shardId(), status);
        }
        when(consumer.status()).thenReturn(byShard);
    }
}
