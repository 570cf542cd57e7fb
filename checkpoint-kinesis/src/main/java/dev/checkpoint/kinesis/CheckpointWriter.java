package dev.checkpoint.kinesis;

import java.util.concurrent.Executor;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointException;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.coordinator.OwnedShard;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one shard's checkpoints in the background, coalesced: at most one write in flight, and a newer position
 * asked for meanwhile replaces any not yet written. Positions only move forward: one at or before the newest asked
 * for is ignored. A write that fails is kept and tried again with the next request, or at the flush.
 */
final class CheckpointWriter {

    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

    private final OwnedShard shard;
    private final Executor executor;
    private final ShardConsumerListener listener;
    private final MonotonicClock clock;
    private @Nullable String wanted;
    private @Nullable String written;
    private long writtenAtNanos;
    private boolean writing;
    private boolean closed;

    CheckpointWriter(OwnedShard shard, Executor executor, ShardConsumerListener listener, MonotonicClock clock) {
        this.shard = shard;
        this.executor = executor;
        this.listener = listener;
        this.clock = clock;
        String stored = shard.checkpoint();
        this.written = stored == null || stored.equals(CheckpointConstants.SHARD_END) ? null : stored;
    }

    /** Asks for {@code sequenceNumber} to be written, in the background. */
    synchronized void request(String sequenceNumber) {
        if (closed || !isAfter(sequenceNumber, wanted != null ? wanted : written)) {
            return;
        }
        wanted = sequenceNumber;
        if (!writing) {
            writing = true;
            executor.execute(this::drain);
        }
    }

    /** Waits for the write in flight, then writes what is still wanted, on this thread. */
    void flush() {
        String next;
        synchronized (this) {
            awaitIdle();
            next = wanted;
            if (next == null || closed) {
                return;
            }
            wanted = null;
            writing = true;
        }
        try {
            write(next);
        }
        finally {
            synchronized (this) {
                writing = false;
                notifyAll();
            }
        }
    }

    /** Writes nothing more: the lease is gone. A write in flight finishes (or fails) on its own. */
    synchronized void discard() {
        closed = true;
        wanted = null;
    }

    synchronized @Nullable String lastWritten() {
        return written;
    }

    /** When the last checkpoint was written (monotonic nanos), or {@code 0} before the first. */
    synchronized long writtenAtNanos() {
        return writtenAtNanos;
    }

    private void drain() {
        while (true) {
            String next;
            synchronized (this) {
                if (wanted == null || closed) {
                    writing = false;
                    notifyAll();
                    return;
                }
                next = wanted;
                wanted = null;
            }
            if (!write(next)) {
                synchronized (this) {
                    writing = false;
                    notifyAll();
                }
                return;
            }
        }
    }

    /** @return whether it was written */
    private boolean write(String sequenceNumber) {
        try {
            shard.checkpoint(sequenceNumber);
        }
        catch (LeaseLostException lost) {
            discard();
            log.debug("Checkpoint of shard {} not written: {}", shard.shardId(), lost.getMessage());
            return false;
        }
        catch (CheckpointException failure) {
            synchronized (this) {
                if (!closed && (wanted == null || !isAfter(wanted, sequenceNumber))) {
                    wanted = sequenceNumber; // kept for the next try
                }
            }
            log.warn("Checkpoint of shard {} at {} failed; it is tried again with the next: {}", shard.shardId(),
                    sequenceNumber, failure.getMessage());
            return false;
        }
        synchronized (this) {
            written = sequenceNumber;
            writtenAtNanos = clock.nanoTime();
        }
        listener.checkpointed(shard.shardId(), sequenceNumber);
        return true;
    }

    private void awaitIdle() {
        while (writing) {
            try {
                wait();
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Whether sequence number {@code a} comes after {@code b} ({@code null}: nothing yet). Kinesis sequence numbers are
     * decimal integers of up to 128 digits: a longer one is greater, and equal lengths compare as text.
     */
    static boolean isAfter(String a, @Nullable String b) {
        if (b == null) {
            return true;
        }
        return a.length() != b.length() ? a.length() > b.length() : a.compareTo(b) > 0;
    }
}
