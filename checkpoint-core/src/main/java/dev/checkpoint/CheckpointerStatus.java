package dev.checkpoint;

import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a worker's checkpointer knows of its own state, for health checks and operators. Ages are measured on the
 * worker's monotonic clock.
 *
 * @param tableName the lease table
 * @param workerId this worker
 * @param heldLeases the shards whose lease this worker holds: it took or renewed them less than a lease duration ago
 * @param sinceLastScan time since the last successful scan of the table, or {@code null} when none succeeded yet
 * @param sinceLastRenewal time since the last successful take or renewal, or {@code null} when none succeeded yet
 * @param renewalsFailingFor how long takes and renewals have been failing with DynamoDB errors (not lost races),
 *        or {@code null} when the last one did not fail
 */
public record CheckpointerStatus(String tableName, String workerId, Set<String> heldLeases,
        @Nullable Duration sinceLastScan, @Nullable Duration sinceLastRenewal, @Nullable Duration renewalsFailingFor) {
}
