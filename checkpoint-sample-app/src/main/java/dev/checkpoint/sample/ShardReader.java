package dev.checkpoint.sample;

import java.time.Duration;
import java.util.List;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointException;
import dev.checkpoint.coordinator.OwnedShard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Reads one owned shard on a thread of its own, from after its checkpoint (or from the start), counts its events,
 * and checkpoints every so many records or seconds. At the shard's end it checkpoints {@code SHARD_END}, which lets
 * the children start.
 */
final class ShardReader implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ShardReader.class);

    private final OwnedShard shard;
    private final KinesisClient kinesis;
    private final SampleProperties properties;
    private final EventCounts counts;
    private final ProcessedLog processedLog;
    private final Thread thread;
    private volatile boolean running = true;
    private String lastProcessed;
    private String lastCheckpointed;

    ShardReader(OwnedShard shard, KinesisClient kinesis, SampleProperties properties, EventCounts counts,
            ProcessedLog processedLog) {
        this.shard = shard;
        this.kinesis = kinesis;
        this.properties = properties;
        this.counts = counts;
        this.processedLog = processedLog;
        this.lastCheckpointed = shard.checkpoint();
        this.thread = new Thread(this, "reader-" + shard.shardId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops reading, waits for the current batch to finish, and checkpoints what was processed. */
    void stopAndCheckpoint(Duration wait) {
        running = false;
        join(wait);
        synchronized (this) {
            if (lastProcessed != null && !lastProcessed.equals(lastCheckpointed) && shard.isHeld()) {
                checkpoint(lastProcessed);
            }
        }
    }

    /** Stops reading at once, without checkpointing: another worker has the shard. */
    void abandon() {
        running = false;
    }

    @Override
    public void run() {
        try {
            read();
        }
        catch (CheckpointException lost) {
            log.info("Stopped reading shard {}: {}", shard.shardId(), lost.getMessage());
        }
        catch (RuntimeException failure) {
            log.warn("Reading shard {} failed; it is read again when the lease moves or this instance restarts",
                    shard.shardId(), failure);
        }
    }

    private void read() {
        String iterator = firstIterator();
        int sinceCheckpoint = 0;
        long lastCheckpointNanos = System.nanoTime();
        while (running && shard.isHeld()) {
            GetRecordsResponse response;
            try {
                String current = iterator;
                response = kinesis.getRecords(request -> request.shardIterator(current).limit(500));
            }
            catch (ProvisionedThroughputExceededException throttled) {
                pause(properties.getPollInterval().multipliedBy(2));
                continue;
            }
            List<Record> records = response.records();
            synchronized (this) {
                if (!running || !shard.isHeld()) {
                    return; // read while being stopped: leave it to the next owner
                }
                if (!records.isEmpty()) {
                    processedLog.append(shard.shardId(), records);
                    records.forEach(record -> counts.record(record.partitionKey()));
                    lastProcessed = records.get(records.size() - 1).sequenceNumber();
                    sinceCheckpoint += records.size();
                }
                boolean due = sinceCheckpoint >= properties.getCheckpointEveryRecords() || (sinceCheckpoint > 0
                        && System.nanoTime() - lastCheckpointNanos > properties.getCheckpointEveryInterval().toNanos());
                if (due) {
                    checkpoint(lastProcessed);
                    sinceCheckpoint = 0;
                    lastCheckpointNanos = System.nanoTime();
                }
                iterator = response.nextShardIterator();
                if (iterator == null) {
                    if (lastProcessed != null && !lastProcessed.equals(lastCheckpointed)) {
                        checkpoint(lastProcessed);
                    }
                    log.info("Shard {} is closed and fully read: checkpointing SHARD_END", shard.shardId());
                    checkpoint(CheckpointConstants.SHARD_END);
                    return;
                }
            }
            if (records.isEmpty()) {
                pause(properties.getPollInterval());
            }
        }
    }

    private String firstIterator() {
        String from = shard.checkpoint();
        GetShardIteratorRequest.Builder request = GetShardIteratorRequest.builder()
                .streamName(properties.getStreamName()).shardId(shard.shardId());
        if (from == null) {
            request.shardIteratorType(ShardIteratorType.TRIM_HORIZON);
        }
        else {
            request.shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(from);
        }
        log.info("Reading shard {} from {}", shard.shardId(), from == null ? "the start" : "after " + from);
        return kinesis.getShardIterator(request.build()).shardIterator();
    }

    private void checkpoint(String sequenceNumber) {
        shard.checkpoint(sequenceNumber);
        lastCheckpointed = sequenceNumber;
    }

    private void join(Duration wait) {
        try {
            thread.join(wait.toMillis());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

}
