package dev.checkpoint.kinesis;

/**
 * The threads a {@link KinesisConsumer} reads its shards on, now.
 *
 * @param model {@code platform} (a bounded pool shared by the shards held) or {@code virtual} (a thread from the
 *        application's factory for each read)
 * @param maxThreads the pool's size; 0 for {@code virtual}
 * @param busy reads (and the processing of what they returned) under way
 * @param queued reads due and waiting for a thread of the pool: above 0 for long, the pool is too small for the load
 */
public record ReaderThreadsStatus(String model, int maxThreads, int busy, int queued) {
}
