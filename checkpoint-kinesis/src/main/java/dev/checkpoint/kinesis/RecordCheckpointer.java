package dev.checkpoint.kinesis;

/**
 * Checkpoints a shard's progress from inside a processor. Writes are asynchronous and coalesced: at most one is in
 * flight per shard, and a newer position replaces one not yet written. A position before one already asked for is
 * ignored. The last position asked for is written when the lease ends.
 */
public interface RecordCheckpointer {

    /** Everything delivered so far on this shard, up to the last record of the current batch. */
    void checkpoint();

    /** Up to and including {@code record}. */
    void checkpoint(KinesisRecord record);
}
