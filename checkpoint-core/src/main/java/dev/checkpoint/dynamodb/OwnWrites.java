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
 *
 * <p>A shard's lock lives only while a write holds it or waits for it: the map holds the shards being written now, not
 * every shard this worker ever wrote.
 */
final class OwnWrites {

    /** A shard's lock, and how many writes hold it or wait for it; both changed only inside the map's compute. */
    private static final class Entry {

        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final ConcurrentMap<String, Entry> locks = new ConcurrentHashMap<>();
    private final MonotonicClock clock;

    OwnWrites(MonotonicClock clock) {
        this.clock = clock;
    }

    /** Waits for the shard's write in flight, if any; the caller unlocks with {@link #unlock(String)}. */
    void lock(String shardId) {
        enter(shardId).lock.lock();
    }

    /**
     * Waits for the shard's write in flight until {@code deadlineNanos} at most.
     *
     * @throws CheckpointStoreException when the deadline came first, or the wait was interrupted
     */
    void lockBefore(String shardId, long deadlineNanos, String what) {
        Entry entry = enter(shardId);
        try {
            if (!entry.lock.tryLock(Math.max(0, deadlineNanos - clock.nanoTime()), TimeUnit.NANOSECONDS)) {
                leave(shardId);
                throw new CheckpointStoreException(shardId, what + " of shard " + shardId
                        + " waited for another write of this worker until its deadline", null);
            }
        }
        catch (InterruptedException interrupted) {
            leave(shardId);
            Thread.currentThread().interrupt();
            throw new CheckpointStoreException(shardId, what + " of shard " + shardId + " was interrupted", interrupted);
        }
    }

    void unlock(String shardId) {
        locks.get(shardId).lock.unlock();
        leave(shardId);
    }

    /** The shards whose lock is in use now. */
    int shardsInUse() {
        return locks.size();
    }

    private Entry enter(String shardId) {
        return locks.compute(shardId, (id, entry) -> {
            Entry used = entry != null ? entry : new Entry();
            used.users++;
            return used;
        });
    }

    private void leave(String shardId) {
        locks.computeIfPresent(shardId, (id, entry) -> --entry.users == 0 ? null : entry);
    }
}
