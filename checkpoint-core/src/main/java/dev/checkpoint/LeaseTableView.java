package dev.checkpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The lease table as one worker sees it, read-only: what an operator's view (the leases endpoint, health, metrics)
 * needs. Every method but {@link #scan()}, {@link #find(String)} and {@link #tableStatus()} answers from this worker's
 * own observations, without a request.
 */
public interface LeaseTableView {

    /** The lease table. */
    String tableName();

    /** This worker's id: the owner its takes write. */
    String workerId();

    /** How long a lease lasts without renewal. */
    Duration leaseDuration();

    /**
     * Every row of this worker's consumer group, read consistently (a paginated Scan, or in a table shared by groups a
     * Query of the group's rows); malformed rows are skipped with a warning.
     */
    List<Lease> scan();

    /** This worker's consumer group in a table shared by groups, or {@code null} in the Go library's layout (one group). */
    default @Nullable String consumerGroup() {
        return null;
    }

    /**
     * Every row of every consumer group, by group, for an operator: in a shared table a Scan of the whole table; else
     * {@link #scan()}, as the one group {@code ""}.
     */
    default Map<String, List<Lease>> scanEveryGroup() {
        return Map.of("", scan());
    }

    /** The shard's row, read consistently, or {@code null} when there is none. One request. */
    @Nullable Lease find(String shardId);

    /** This worker's own view: the leases it holds, and how recently it scanned and renewed. No request. */
    CheckpointerStatus status();

    /**
     * The table's status as DynamoDB names it ({@code ACTIVE}, {@code CREATING}, …), or {@code null} when it does
     * not exist: one request, bounded by the request timeout and not retried, for health checks.
     *
     * @throws CheckpointStoreException when DynamoDB did not answer
     */
    @Nullable String tableStatus();

    /**
     * How long this worker has seen the lease unchanged (same owner, counter and timeout), by its own monotonic
     * clock, or {@code null} for a lease it has not seen. For a live lease, about the time since its last renewal.
     */
    @Nullable Duration unchangedFor(String shardId);

    /**
     * Whether this worker judges the lease expired: it has seen the same owner and counter for longer than the lease
     * duration, by its own monotonic clock. {@code false} for an unowned lease and for a lease it has not seen.
     */
    boolean isExpired(String shardId);
}
