package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.OwnedShards;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

/**
 * A write that throws something unexpected (not a {@code CheckpointException}) neither loses the position nor leaves
 * the writer busy for ever: before, its {@code writing} flag stayed set and {@code flush()} waited for ever, so a lease
 * could never be handed over.
 */
class CheckpointWriterTests {

    private final List<String> written = new CopyOnWriteArrayList<>();
    private final AtomicBoolean failNext = new AtomicBoolean(true);
    private final OwnedShard shard = OwnedShards.writingTo("shard-1", sequenceNumber -> {
        if (failNext.getAndSet(false)) {
            throw new NullPointerException("a bug below the handle");
        }
        written.add(sequenceNumber);
    });

    @Test
    void anUnexpectedFailureOfAWriteKeepsThePositionAndTheFlushWritesIt() throws Exception {
        CheckpointWriter writer = new CheckpointWriter(shard, null, Runnable::run, new ShardConsumerListener() { },
                System::nanoTime);

        writer.request(record("100"));

        assertThat(written).isEmpty();
        CompletableFuture<Void> flush = CompletableFuture.runAsync(writer::flush);
        flush.get(Duration.ofSeconds(10).toSeconds(), TimeUnit.SECONDS);   // before the fix: never
        assertThat(written).containsExactly("100");
        assertThat(writer.lastWritten()).isEqualTo("100");
    }

    private static KinesisRecord record(String sequenceNumber) {
        return new KinesisRecord("shard-1", sequenceNumber, null, "key", SdkBytes.fromUtf8String("data"), null);
    }
}
