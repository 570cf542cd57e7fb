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
     * Whether {@link #next()} would read now, without waiting for the pacing, a backoff or records still to come.
     * When it would not, {@code wake} is arranged to run once it would, or after the idle interval at the latest (so
     * that the reader looks at its lease and its checkpoints): from an {@link Alarms alarm}, or from the thread that
     * brought the records. {@code wake} may run more often than that: a reader woken early asks again.
     */
    boolean ready(Runnable wake);

    /**
     * The next records after those returned before (or after {@code start}'s position, first). It waits for nothing
     * but its own request; asked before it is {@link #ready}, it returns {@link Batch#NOTHING}.
     *
     * @return the batch, {@link Batch#NOTHING} when a read failed or brought nothing yet (it is tried again when
     * ready), or {@code null} when the consumer was told to stop
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

        /** No records this time. */
        static final Batch NOTHING = new Batch(List.of(), null, false);
    }
}
