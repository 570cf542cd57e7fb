package dev.checkpoint.coordinator;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.MonotonicClock;

/**
 * The registry of the leases this worker holds, and its invariants: one live handle per shard; one take at a time
 * per shard; a retired handle's write finishes before the shard is taken again; shards given back are left alone for
 * a while.
 */
final class HeldLeases {

    private final MonotonicClock clock;
    private final ConcurrentMap<String, HeldLease> held = new ConcurrentHashMap<>();
    /** The shards a take is under way for: one at a time per shard. Changed only while holding {@code this}. */
    private final Set<String> taking = ConcurrentHashMap.newKeySet();
    /** The last handle of each shard this worker held and no longer holds, until it takes the shard again. */
    private final ConcurrentMap<String, HeldLease> retired = new ConcurrentHashMap<>();
    /** The resets of each shard this worker has acted on: each is acted on once, whoever tells of it. */
    private final ConcurrentMap<String, Set<String>> resetsActedOn = new ConcurrentHashMap<>();
    /** Shards given back or handed off on request, and until when (monotonic nanos) this worker does not take them. */
    private final ConcurrentMap<String, Long> leftAlone = new ConcurrentHashMap<>();

    HeldLeases(MonotonicClock clock) {
        this.clock = clock;
    }

    HeldLease get(String shardId) {
        return held.get(shardId);
    }

    boolean holds(String shardId) {
        return held.containsKey(shardId);
    }

    /** Whether {@code lease} is still the live handle of its shard. */
    boolean isCurrent(HeldLease lease) {
        return held.get(lease.shardId()) == lease;
    }

    Collection<HeldLease> all() {
        return List.copyOf(held.values());
    }

    Set<String> shardIds() {
        return new TreeSet<>(held.keySet());
    }

    /** Starts a take of the shard, unless one is under way, it is held, or it is being left alone. */
    synchronized boolean startTaking(String shardId) {
        if (isLeftAlone(shardId) || held.containsKey(shardId)) {
            return false;
        }
        return taking.add(shardId);
    }

    synchronized void endTaking(String shardId) {
        taking.remove(shardId);
        notifyAll();
    }

    /**
     * Waits until no take is under way, or until {@code deadlineNanos} on the monotonic clock.
     *
     * @return whether the takes all ended in time
     */
    synchronized boolean awaitNoTakes(long deadlineNanos) throws InterruptedException {
        while (!taking.isEmpty()) {
            long left = deadlineNanos - clock.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    void add(HeldLease lease) {
        held.put(lease.shardId(), lease);
    }

    /** Ends the lease's handle: no write through it starts after this. {@code false} when it had ended already. */
    boolean retire(HeldLease lease) {
        if (!held.remove(lease.shardId(), lease)) {
            return false;
        }
        lease.handle.markNotHeld();
        retired.put(lease.shardId(), lease);
        return true;
    }

    /**
     * Waits until a write through this worker's earlier handle of the shard, if one is under way, has ended. Else
     * such a write, begun before the lease was lost, could be sent after this worker takes the lease again, be
     * accepted (the worker is the owner again), and put back a checkpoint older than the new handle's.
     */
    void awaitWritesOfEarlierHandle(String shardId) {
        HeldLease earlier = retired.remove(shardId);
        if (earlier != null) {
            earlier.writing.lock();
            earlier.writing.unlock();
        }
    }

    void leaveAlone(String shardId, long untilNanos) {
        leftAlone.put(shardId, untilNanos);
    }

    private boolean isLeftAlone(String shardId) {
        Long until = leftAlone.get(shardId);
        if (until == null) {
            return false;
        }
        if (clock.nanoTime() - until < 0) {
            return true;
        }
        leftAlone.remove(shardId, until);
        return false;
    }

    /** Whether this is the first word of the reset on the shard: {@code true} once for each reset id. */
    boolean firstWordOfReset(String shardId, String resetId) {
        return resetsActedOn.computeIfAbsent(shardId, shard -> ConcurrentHashMap.newKeySet()).add(resetId);
    }

    /** Forgets a shard gone from the stream. */
    void forget(String shardId) {
        resetsActedOn.remove(shardId);
        retired.remove(shardId);
        leftAlone.remove(shardId);
    }

    /** A crash: every handle ends at once, and nothing is released. */
    void dropAll() {
        held.values().forEach(lease -> lease.handle.markNotHeld());
        held.clear();
    }
}
