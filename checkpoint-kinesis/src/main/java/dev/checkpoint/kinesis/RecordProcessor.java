package dev.checkpoint.kinesis;

import java.util.List;

/**
 * What an application writes: processes the records of one shard, a batch at a time, in order. A batch that throws
 * is not checkpointed: it is delivered again (see {@link KinesisConsumerSettings.Builder#maxAttempts}), and then the
 * {@link FailurePolicy} applies. Called from one thread per shard; shards are processed in parallel.
 */
@FunctionalInterface
public interface RecordProcessor {

    void process(List<KinesisRecord> records) throws Exception;
}
