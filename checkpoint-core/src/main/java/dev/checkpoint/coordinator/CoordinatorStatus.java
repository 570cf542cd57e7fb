package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's own view, for health checks and operators.
 *
 * @param running whether it has been started and not stopped
 * @param ownedShards the shards it holds, delivered to the listener or waiting for their parents
 * @param sinceLastSync time since the last successful sync, or {@code null} before the first
 * @param failedSyncs syncs failed in a row since the last success
 * @param lastSyncError the message of the last failed sync, or {@code null}
 */
public record CoordinatorStatus(boolean running, Set<String> ownedShards, @Nullable Duration sinceLastSync,
        int failedSyncs, @Nullable String lastSyncError) {
}
