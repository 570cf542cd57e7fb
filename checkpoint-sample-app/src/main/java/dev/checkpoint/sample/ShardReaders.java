package dev.checkpoint.sample;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** Starts a {@link ShardReader} for each shard this instance gains, and stops it when the lease ends or is lost. */
public class ShardReaders implements LeaseListener {

    private static final Logger log = LoggerFactory.getLogger(ShardReaders.class);

    private final KinesisClient kinesis;
    private final SampleProperties properties;
    private final EventCounts counts;
    private final ProcessedLog processedLog;
    private final Duration stopWait;
    private final Map<String, ShardReader> readers = new ConcurrentHashMap<>();

    public ShardReaders(KinesisClient kinesis, SampleProperties properties, EventCounts counts, ProcessedLog processedLog,
            Duration stopWait) {
        this.kinesis = kinesis;
        this.properties = properties;
        this.counts = counts;
        this.processedLog = processedLog;
        this.stopWait = stopWait;
    }

    @Override
    public void leaseGained(OwnedShard shard) {
        ShardReader reader = new ShardReader(shard, kinesis, properties, counts, processedLog);
        readers.put(shard.shardId(), reader);
        reader.start();
    }

    @Override
    public void leaseEnding(OwnedShard shard, EndReason reason) {
        ShardReader reader = readers.remove(shard.shardId());
        if (reader != null) {
            reader.stopAndCheckpoint(stopWait);
            log.info("Handed shard {} over ({}), checkpointed", shard.shardId(), reason);
        }
    }

    @Override
    public void leaseLost(OwnedShard shard) {
        ShardReader reader = readers.remove(shard.shardId());
        if (reader != null) {
            reader.abandon();
        }
    }
}
