package dev.checkpoint.actuate;

import java.util.Set;

import dev.checkpoint.coordinator.CoordinatorStatus;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.RenewalThreads;
import org.jspecify.annotations.Nullable;

/**
 * The lease coordinator's view, as the health indicator and the leases endpoint show it.
 *
 * @param running whether it runs
 * @param ownedShards the shards it holds
 * @param lastSyncAge time since its last successful sync, or "never"
 * @param failedSyncs syncs failed in a row
 * @param lastSyncError the last sync failure, or null
 * @param renewalThreads the threads that renew its leases: their model, size, renewals running and queued, and how
 *        many renewals had to wait for a thread; null before its first start
 */
public record CoordinatorDescriptor(boolean running, Set<String> ownedShards, String lastSyncAge, int failedSyncs,
        @Nullable String lastSyncError, @Nullable RenewalThreads renewalThreads) {

    static CoordinatorDescriptor of(LeaseCoordinator coordinator) {
        CoordinatorStatus status = coordinator.status();
        return new CoordinatorDescriptor(status.running(), status.ownedShards(),
                CheckpointHealthIndicator.describe(status.sinceLastSync()), status.failedSyncs(), status.lastSyncError(),
                coordinator.renewalThreads());
    }
}
