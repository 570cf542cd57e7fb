package dev.checkpoint.kinesis;

import java.util.List;

/**
 * What an application writes: processes the records of one shard, a batch at a time, in order. A batch that throws
 * is not checkpointed: it is delivered again (see {@link KinesisConsumerSettings.Builder#maxAttempts}), and then the
 * {@link FailurePolicy} applies. Never called for two batches of one shard at once (each call happens before the
 * next, though perhaps on another thread); shards are processed in parallel, up to the reader threads.
 */
@FunctionalInterface
public interface RecordProcessor {

    void process(List<KinesisRecord> records) throws Exception;
}
