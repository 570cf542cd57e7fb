package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.dynamodb.HeartbeatRows.Row;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Worker renewal mode: what this worker has seen of the other workers' heartbeat rows, each version since when it was
 * first seen by this worker's monotonic clock (never by comparing clocks); and the sweep of the rows of workers gone.
 * {@link WorkerHeartbeats} judges leases on it.
 */
final class HeartbeatViews {

    private static final Logger log = LoggerFactory.getLogger(HeartbeatViews.class);

    /**
     * Another worker's heartbeat as last seen.
     *
     * @param row the row, or {@code null} when the worker has none
     * @param sinceNanos when this version (epoch and counter) was first seen
     * @param readNanos when the newest read that saw it was sent
     */
    record View(@Nullable Row row, long sinceNanos, long readNanos) {
    }

    private final TableClient table;
    private final String workerId;
    private final long leaseNanos;
    private final LeaseObservations observations;
    private final ConcurrentMap<String, View> views = new ConcurrentHashMap<>();

    HeartbeatViews(TableClient table, String workerId, Duration leaseDuration, LeaseObservations observations) {
        this.table = table;
        this.workerId = workerId;
        this.leaseNanos = leaseDuration.toNanos();
        this.observations = observations;
    }

    @Nullable View get(String worker) {
        return views.get(worker);
    }

    /** The worker's view; one never seen is first seen now, without a row. */
    View viewOf(String worker, long nowNanos) {
        return views.computeIfAbsent(worker, id -> new View(null, nowNanos, nowNanos));
    }

    void put(String worker, View view) {
        views.put(worker, view);
    }

    /**
     * Records the heartbeat rows a scan read, sent at {@code readNanos}; a worker whose row it did not find has none.
     */
    void observeAll(Map<String, Row> rows, long readNanos) {
        rows.values().forEach(row -> observe(row, readNanos));
        for (String worker : views.keySet()) {
            if (!rows.containsKey(worker)) {
                observe(worker, null, readNanos);
            }
        }
    }

    private void observe(Row row, long readNanos) {
        observe(row.workerId(), row, readNanos);
    }

    void observe(String worker, @Nullable Row row, long readNanos) {
        long now = observations.now();
        views.compute(worker, (id, previous) -> {
            if (previous != null && previous.readNanos() - readNanos > 0) {
                return previous;   // a read sent before the one that made the view: older news
            }
            boolean same = previous != null && sameVersion(previous.row(), row);
            return new View(row, same ? previous.sinceNanos() : now, readNanos);
        });
    }

    private static boolean sameVersion(@Nullable Row before, @Nullable Row after) {
        if (before == null || after == null) {
            return before == after;
        }
        return before.epoch().equals(after.epoch()) && before.counter() == after.counter();
    }

    /**
     * Deletes the heartbeat rows of workers gone (judged dead, or silent for a lease duration) that no lease names any
     * more, as a full scan found them: so that dead workers' rows do not pile up, and syncs read only live ones. Each
     * delete is conditioned on the heartbeat seen; a worker that was only slow is refused at its next heartbeat, holds
     * nothing, and registers again.
     */
    void sweep(Set<String> owners) {
        long now = observations.now();
        views.forEach((worker, view) -> {
            Row row = view.row();
            boolean gone = row != null && (row.epoch().startsWith(HeartbeatRows.EXPIRED_EPOCH_PREFIX)
                    || now - view.sinceNanos() > leaseNanos);
            if (!gone || worker.equals(workerId) || owners.contains(worker)) {
                return;
            }
            try {
                table.execute(CheckpointOperation.EXPIRE_WORKER, null, () -> table.client.deleteItem(HeartbeatRows.delete(
                        table.tableName, table.key(HeartbeatRows.key(worker)), row.epoch(), row.counter())
                        .overrideConfiguration(table.calls.requestOverrides()).build()));
                observe(worker, null, now);
                log.info("{} removed the heartbeat row of worker {}, gone and holding nothing", workerId, worker);
            }
            catch (ConditionalCheckFailedException moved) {
                // it beat meanwhile, or registered again
            }
        });
    }

    /** The workers whose heartbeat row was last seen. */
    List<String> knownWorkers() {
        List<String> known = new ArrayList<>();
        views.forEach((worker, view) -> {
            if (view.row() != null) {
                known.add(worker);
            }
        });
        return known;
    }

    /** Whether the worker is gone for sure: marked dead, or silent for a lease duration, as this worker saw it. */
    boolean isSurelyGone(String worker, long nowNanos) {
        if (workerId.equals(worker)) {
            return false;
        }
        View view = views.get(worker);
        if (view == null || view.row() == null) {
            return false;
        }
        return view.row().epoch().startsWith(HeartbeatRows.EXPIRED_EPOCH_PREFIX)
                || nowNanos - view.sinceNanos() > leaseNanos;
    }

    /** How long the owner's heartbeat has stood still, as this worker saw it; {@code null} when never seen. */
    @Nullable Duration unchangedFor(String owner) {
        View view = views.get(owner);
        return view == null ? null : Duration.ofNanos(observations.now() - view.sinceNanos());
    }
}
