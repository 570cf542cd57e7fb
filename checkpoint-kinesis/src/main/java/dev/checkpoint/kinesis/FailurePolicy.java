package dev.checkpoint.kinesis;

/**
 * What happens to a batch whose processing still throws after every attempt. Either way the batch is never
 * checkpointed as processed without a trace: nothing is lost silently.
 */
public enum FailurePolicy {

    /**
     * The shard is handed off: its lease is released without a checkpoint, and whichever worker takes it next reads
     * it again from its last checkpoint, the failed batch included. Processing of the shard stops until a processor
     * gets through the batch. The default: nothing is lost.
     */
    HAND_OFF,

    /**
     * The batch is skipped: a warning names the shard and the sequence numbers skipped, the skip is counted, and the
     * shard goes on after the batch. For records that may be dropped (metrics, say), when a stuck shard costs more.
     */
    SKIP
}
