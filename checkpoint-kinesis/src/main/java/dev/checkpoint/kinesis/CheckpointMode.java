package dev.checkpoint.kinesis;

/** When a shard's progress is checkpointed. Writes are coalesced: never more than one in flight per shard. */
public enum CheckpointMode {

    /**
     * After each record: the processor gets one record at a time. The fewest records processed again after a
     * failover; one checkpoint write per record at most, fewer when writes are coalesced.
     */
    RECORD,

    /** After each batch the processor returned from (one {@code GetRecords} call's records). The default. */
    BATCH,

    /** After every N records or every T, whichever comes first, and when the lease ends. */
    PERIODIC,

    /** Only when the processor checkpoints through its {@link RecordCheckpointer}, and when the lease ends. */
    MANUAL
}
