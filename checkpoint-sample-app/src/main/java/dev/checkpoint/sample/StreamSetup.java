package dev.checkpoint.sample;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Creates the stream if it is missing, and waits until it is ACTIVE. Several instances may do this at once. */
final class StreamSetup {

    private static final Logger log = LoggerFactory.getLogger(StreamSetup.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    private StreamSetup() {
    }

    static void ensureActive(KinesisClient kinesis, String streamName, int shardCount) {
        try {
            kinesis.createStream(create -> create.streamName(streamName).shardCount(shardCount));
            log.info("Created stream {} with {} shards", streamName, shardCount);
        }
        catch (ResourceInUseException exists) {
            log.debug("Stream {} exists", streamName);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                StreamStatus status = kinesis.describeStreamSummary(describe -> describe.streamName(streamName))
                        .streamDescriptionSummary().streamStatus();
                if (status == StreamStatus.ACTIVE || status == StreamStatus.UPDATING) {
                    return;
                }
            }
            catch (ResourceNotFoundException notYet) {
                // just created
            }
            try {
                Thread.sleep(200);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for stream " + streamName);
            }
        }
        throw new IllegalStateException("stream " + streamName + " did not become ACTIVE within " + WAIT);
    }
}
