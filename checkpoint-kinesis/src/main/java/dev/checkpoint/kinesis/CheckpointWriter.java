package dev.checkpoint.kinesis;

import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.checkpoint.LeaseLostException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.coordinator.OwnedShard;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one shard's checkpoints in the background, coalesced: at most one write in flight, and a newer position
 * asked for meanwhile replaces any not yet written. Positions only move forward: one at or before the newest asked
 * for is ignored. A write that fails is kept and tried again with the next request, or at the flush. Its state is
 * guarded by a lock, not by {@code synchronized}, so that a virtual thread waiting here does not pin its carrier.
 */
final class CheckpointWriter {

    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

    private final OwnedShard shard;
    private final Executor executor;
    private final ShardConsumerListener listener;
    private final MonotonicClock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private @Nullable Position wanted;
    private @Nullable Position written;
    private long writtenAtNanos;
    private boolean writing;
    private boolean closed;

    /** @param stored the checkpoint stored when the lease was gained, or {@code null} */
    CheckpointWriter(OwnedShard shard, @Nullable Position stored, Executor executor, ShardConsumerListener listener,
            MonotonicClock clock) {
        this.shard = shard;
        this.written = stored;
        this.executor = executor;
        this.listener = listener;
        this.clock = clock;
    }

    /** Asks for everything up to and including {@code record} to be checkpointed, in the background. */
    void request(KinesisRecord record) {
        Position position = record.position();
        lock.lock();
        try {
            if (closed || !position.isAfter(wanted != null ? wanted : written)) {
                return;
            }
            wanted = position;
            if (!writing) {
                writing = true;
                executor.execute(this::drain);
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** Waits for the write in flight, then writes what is still wanted, on this thread. */
    void flush() {
        Position next;
        lock.lock();
        try {
            awaitIdle();
            next = wanted;
            if (next == null || closed) {
                return;
            }
            wanted = null;
            writing = true;
        }
        finally {
            lock.unlock();
        }
        try {
            write(next);
        }
        finally {
            becomeIdle();
        }
    }

    /** Writes nothing more: the lease is gone. A write in flight finishes (or fails) on its own. */
    void discard() {
        lock.lock();
        try {
            closed = true;
            wanted = null;
        }
        finally {
            lock.unlock();
        }
    }

    /** The last checkpoint written, as stored: the sequence number, and {@code /n} inside an aggregate. */
    @Nullable String lastWritten() {
        lock.lock();
        try {
            return written == null ? null : written.toString();
        }
        finally {
            lock.unlock();
        }
    }

    /** When the last checkpoint was written (monotonic nanos), or {@code 0} before the first. */
    long writtenAtNanos() {
        lock.lock();
        try {
            return writtenAtNanos;
        }
        finally {
            lock.unlock();
        }
    }

    private void drain() {
        try {
            while (true) {
                Position next;
                lock.lock();
                try {
                    if (wanted == null || closed) {
                        return;
                    }
                    next = wanted;
                    wanted = null;
                }
                finally {
                    lock.unlock();
                }
                if (!write(next)) {
                    return;
                }
            }
        }
        finally {
            becomeIdle();   // whatever happened, the next request or flush may write again
        }
    }

    private void becomeIdle() {
        lock.lock();
        try {
            writing = false;
            idle.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** @return whether it was written */
    private boolean write(Position position) {
        try {
            if (position.subSequenceNumber() == null) {
                shard.checkpoint(position.sequenceNumber());
            }
            else {
                shard.checkpoint(position.sequenceNumber(), position.subSequenceNumber());
            }
        }
        catch (LeaseLostException lost) {
            discard();
            log.debug("Checkpoint of shard {} not written: {}", shard.shardId(), lost.getMessage());
            return false;
        }
        catch (RuntimeException failure) {   // DynamoDB, or anything unexpected: the position is kept, not lost
            lock.lock();
            try {
                if (!closed && (wanted == null || !wanted.isAfter(position))) {
                    wanted = position; // kept for the next try
                }
            }
            finally {
                lock.unlock();
            }
            log.warn("Checkpoint of shard {} at {} failed; it is tried again with the next: {}", shard.shardId(),
                    position, failure.getMessage());
            return false;
        }
        lock.lock();
        try {
            written = position;
            writtenAtNanos = clock.nanoTime();
        }
        finally {
            lock.unlock();
        }
        try {
            listener.checkpointed(shard.shardId(), position.sequenceNumber());
        }
        catch (RuntimeException listenerFailure) {
            log.warn("Consumer listener failed on the checkpoint of shard {}: {}", shard.shardId(),
                    listenerFailure.toString());
        }
        return true;
    }

    /** With the lock held. */
    private void awaitIdle() {
        while (writing) {
            try {
                idle.await();
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
