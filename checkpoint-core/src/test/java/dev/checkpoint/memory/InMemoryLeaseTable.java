package dev.checkpoint.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import dev.checkpoint.Lease;

/**
 * A lease table in memory, shared by the {@link InMemoryLeaseStore}s of several workers: DynamoDB's part. Every write
 * is conditional and atomic, as a conditional UpdateItem is; nothing else is offered.
 */
public final class InMemoryLeaseTable {

    private final Map<String, Lease> rows = new TreeMap<>();

    /** The hand-over notes on each row: the table's {@code HandedOver} attribute, which {@link Lease} does not show. */
    private final Map<String, Set<String>> handedOver = new TreeMap<>();

    /** Adds a hand-over note to the row, if {@code owner} owns it; see {@code LeaseStore.handOver}. */
    public synchronized void noteHandOver(String rowShardId, String owner, String shardId) {
        Lease row = rows.get(rowShardId);
        if (row != null && owner.equals(row.owner())) {
            handedOver.computeIfAbsent(rowShardId, id -> new TreeSet<>()).add(shardId);
        }
    }

    /** Takes the row's hand-over notes away: what a renewal does. */
    public synchronized Set<String> takeHandOvers(String rowShardId) {
        Set<String> notes = handedOver.remove(rowShardId);
        return notes == null ? Set.of() : notes;
    }

    /** Worker renewal mode's heartbeat rows, by worker id: the rows that are not leases. */
    private final Map<String, HeartbeatRow> heartbeats = new TreeMap<>();

    /**
     * A worker's heartbeat row, in worker renewal mode.
     *
     * @param epoch the process registered under the worker id; {@link #EXPIRED} and the epoch once judged dead
     * @param counter moved by each heartbeat
     * @param claims the mailbox of claims: shard to claimant
     * @param resets the mailbox of resets: reset id to shard
     * @param handedOver the shards stopping workers released for this one
     */
    public record HeartbeatRow(String epoch, long counter, Map<String, String> claims, Map<String, String> resets,
            Set<String> handedOver) {

        /** The prefix of the epoch of a worker judged dead. */
        public static final String EXPIRED = "expired:";

        public HeartbeatRow {
            claims = Map.copyOf(claims);
            resets = Map.copyOf(resets);
            handedOver = Set.copyOf(handedOver);
        }

        static HeartbeatRow registered(String epoch) {
            return new HeartbeatRow(epoch, 1, Map.of(), Map.of(), Set.of());
        }

        boolean isSameVersion(HeartbeatRow other) {
            return other != null && epoch.equals(other.epoch) && counter == other.counter;
        }
    }

    /** Every heartbeat row, by worker id. */
    public synchronized Map<String, HeartbeatRow> heartbeats() {
        return new TreeMap<>(heartbeats);
    }

    public synchronized HeartbeatRow heartbeat(String workerId) {
        return heartbeats.get(workerId);
    }

    /** Writes the worker's heartbeat row, replacing any. */
    public synchronized void putHeartbeat(String workerId, HeartbeatRow row) {
        heartbeats.put(workerId, row);
    }

    /**
     * Replaces the worker's heartbeat row by {@code change} of it when {@code condition} holds of it ({@code null} when
     * there is none; a change to {@code null} deletes it); {@code false}, and nothing changed, when it does not.
     */
    public synchronized boolean updateHeartbeat(String workerId, Predicate<HeartbeatRow> condition,
            UnaryOperator<HeartbeatRow> change) {
        HeartbeatRow current = heartbeats.get(workerId);
        if (!condition.test(current)) {
            return false;
        }
        HeartbeatRow changed = change.apply(current);
        if (changed == null) {
            heartbeats.remove(workerId);
        }
        else {
            heartbeats.put(workerId, changed);
        }
        return true;
    }

    /** Every lease row, in shard id order. */
    public synchronized List<Lease> scan() {
        return new ArrayList<>(rows.values());
    }

    public synchronized Lease get(String shardId) {
        return rows.get(shardId);
    }

    /** Adds the row unless one exists. */
    public synchronized void putIfAbsent(Lease row) {
        rows.putIfAbsent(row.shardId(), row);
    }

    /**
     * Replaces the row by {@code change} of it when {@code condition} holds of the row as it is ({@code null} when
     * there is none); {@code false}, and nothing changed, when it does not.
     */
    public synchronized boolean update(String shardId, Predicate<Lease> condition, UnaryOperator<Lease> change) {
        Lease current = rows.get(shardId);
        if (!condition.test(current)) {
            return false;
        }
        rows.put(shardId, change.apply(current));
        return true;
    }

    public synchronized void delete(String shardId) {
        rows.remove(shardId);
    }

    /** Puts a row as it is, for tests that set up what another program (the Go library, an operator) wrote. */
    public synchronized void put(Lease row) {
        rows.put(row.shardId(), row);
    }
}
