package dev.checkpoint.actuate;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.coordinator.LeaseCoordinator;
import org.jspecify.annotations.Nullable;

/**
 * The endpoint's release of a lease this worker holds: with a coordinator, a hand-off (the listener's
 * {@code leaseEnding}, its last checkpoint, then the release); without one, the release itself.
 */
final class LeaseReleases {

    private final LeaseStore store;
    private final @Nullable LeaseCoordinator coordinator;
    private final Duration handOffTimeout;

    LeaseReleases(LeaseStore store, @Nullable LeaseCoordinator coordinator, Duration handOffTimeout) {
        this.store = store;
        this.coordinator = coordinator;
        this.handOffTimeout = handOffTimeout;
    }

    LeasesEndpoint.ReleaseDescriptor release(String shardId) {
        if (store.find(shardId) == null) {
            return new LeasesEndpoint.ReleaseDescriptor(shardId, false, LeasesEndpoint.ReleaseDescriptor.NO_SUCH_SHARD, "there is no lease for shard " + shardId);
        }
        if (coordinator != null) {
            return handOff(shardId);
        }
        try {
            store.release(shardId);
            return new LeasesEndpoint.ReleaseDescriptor(shardId, true, LeasesEndpoint.ReleaseDescriptor.RELEASED, "released by " + store.workerId());
        }
        catch (LeaseLostException notHeld) {
            return new LeasesEndpoint.ReleaseDescriptor(shardId, false, LeasesEndpoint.ReleaseDescriptor.NOT_HELD, notHeld.getMessage());
        }
    }

    private LeasesEndpoint.ReleaseDescriptor handOff(String shardId) {
        try {
            if (coordinator.handOff(shardId).get(handOffTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return new LeasesEndpoint.ReleaseDescriptor(shardId, true, LeasesEndpoint.ReleaseDescriptor.RELEASED, "handed off by "
                        + store.workerId() + ": the listener ended it, then it was released");
            }
            return new LeasesEndpoint.ReleaseDescriptor(shardId, false, LeasesEndpoint.ReleaseDescriptor.NOT_HELD, store.workerId()
                    + " does not hold the lease on shard " + shardId + ", or is already handing it over");
        }
        catch (TimeoutException | ExecutionException failure) {
            return new LeasesEndpoint.ReleaseDescriptor(shardId, false, LeasesEndpoint.ReleaseDescriptor.NOT_HELD, "the hand-off of shard " + shardId
                    + " did not finish within " + handOffTimeout.toMillis() + " ms; the lease expires instead");
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing off shard " + shardId, interrupted);
        }
    }
}
