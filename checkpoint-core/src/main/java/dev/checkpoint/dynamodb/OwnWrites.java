package dev.checkpoint.dynamodb;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.MonotonicClock;

/**
 * One write of this worker at a time to each shard's row. A renewal moves the counter that a checkpoint is
 * conditioned on; run side by side, this worker's own renewals made its checkpoints fail, again and again under slow
 * answers, until it gave up a lease it still held. In turn, as the KCL does, they never overlap.
 */
final class OwnWrites {

    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final MonotonicClock clock;

    OwnWrites(MonotonicClock clock) {
        this.clock = clock;
    }

    /** Waits for the shard's write in flight, if any; the caller unlocks with {@link #unlock(String)}. */
    void lock(String shardId) {
        lockOf(shardId).lock();
    }

    /**
     * Waits for the shard's write in flight until {@code deadlineNanos} at most.
     *
     * @throws CheckpointStoreException when the deadline came first, or the wait was interrupted
     */
    void lockBefore(String shardId, long deadlineNanos, String what) {
        try {
            if (!lockOf(shardId).tryLock(Math.max(0, deadlineNanos - clock.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new CheckpointStoreException(shardId, what + " of shard " + shardId
                        + " waited for another write of this worker until its deadline", null);
            }
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CheckpointStoreException(shardId, what + " of shard " + shardId + " was interrupted", interrupted);
        }
    }

    void unlock(String shardId) {
        lockOf(shardId).unlock();
    }

    private ReentrantLock lockOf(String shardId) {
        return locks.computeIfAbsent(shardId, id -> new ReentrantLock());
    }
}
