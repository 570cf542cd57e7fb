package dev.checkpoint.kinesis;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Where a shard consumer gets its records: {@link PollingRecordSupplier} polls {@code GetRecords};
 * {@link FanOutRecordSupplier} subscribes ({@code SubscribeToShard}). Each keeps within the shard's limits and waits out
 * throttling.
 */
interface RecordSupplier {

    /**
     * The next records after those returned before (or after {@code start}'s position, first).
     *
     * @return the batch, or {@code null} when the consumer was told to stop while waiting
     */
    @Nullable Batch next();

    /** No more reads: frees what the supplier holds open. */
    default void close() {
    }

    /**
     * What one read returned.
     *
     * @param records the records, in order; may be empty
     * @param millisBehindLatest how far behind the shard's tip, when Kinesis said
     * @param shardEnded whether the shard is closed and these were its last records
     */
    record Batch(List<KinesisRecord> records, @Nullable Long millisBehindLatest, boolean shardEnded) {
    }
}
