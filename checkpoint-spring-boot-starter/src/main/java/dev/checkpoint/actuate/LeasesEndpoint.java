package dev.checkpoint.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.LeaseStore;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@code /actuator/leases}: every lease of the table as this worker sees it, and the number each worker holds.
 * Read-only by default; releasing a lease ({@code DELETE /actuator/leases/{shardId}}) needs
 * {@code management.endpoint.leases.access=unrestricted}.
 */
@Endpoint(id = "leases", defaultAccess = Access.READ_ONLY)
public class LeasesEndpoint {

    private final LeaseStore store;
    private final @Nullable LeaseCoordinator coordinator;
    private final Duration handOffTimeout;
    private final @Nullable ShardProgress progress;

    /** @param coordinator the coordinator, whose view is shown too, or {@code null} when there is none */
    public LeasesEndpoint(LeaseStore store, @Nullable LeaseCoordinator coordinator) {
        this(store, coordinator, Duration.ofSeconds(10).plus(store.leaseDuration()));
    }

    /**
     * @param coordinator the coordinator, whose view is shown too, or {@code null} when there is none
     * @param handOffTimeout how long a release waits for the coordinator's hand-off: the listener's grace and a lease
     */
    public LeasesEndpoint(LeaseStore store, @Nullable LeaseCoordinator coordinator, Duration handOffTimeout) {
        this(store, coordinator, handOffTimeout, null);
    }

    /**
     * @param coordinator the coordinator, whose view is shown too, or {@code null} when there is none
     * @param handOffTimeout how long a release waits for the coordinator's hand-off: the listener's grace and a lease
     * @param progress what the processing did on each shard this worker holds, or {@code null}
     */
    public LeasesEndpoint(LeaseStore store, @Nullable LeaseCoordinator coordinator, Duration handOffTimeout,
            @Nullable ShardProgress progress) {
        this.store = store;
        this.coordinator = coordinator;
        this.handOffTimeout = handOffTimeout;
        this.progress = progress;
    }

    /** Every lease (one paginated, consistent scan), or those of {@code owner} only. */
    @ReadOperation
    public LeasesDescriptor leases(@Nullable String owner) {
        List<Lease> all = store.scan();
        Set<String> held = store.status().heldLeases();
        Map<String, Integer> workers = new TreeMap<>();
        workers.put(store.workerId(), 0);
        int unowned = 0;
        for (Lease lease : all) {
            if (lease.isOwned()) {
                workers.merge(lease.owner(), 1, Integer::sum);
            }
            else if (!lease.isFinished()) {
                unowned++;
            }
        }
        Map<String, ?> progressByShard = progressByShard();
        List<LeaseDescriptor> leases = all.stream()
                .filter(lease -> owner == null || owner.equals(lease.owner()))
                .map(lease -> describe(lease, held, progressByShard))
                .toList();
        return new LeasesDescriptor(store.tableName(), store.workerId(),
                store.leaseDuration().toMillis(), workers, unowned,
                coordinator == null ? null : CoordinatorDescriptor.of(coordinator.status()), leases);
    }

    /** One lease, read consistently, or 404. */
    @ReadOperation
    public @Nullable LeaseDescriptor lease(@Selector String shardId) {
        Lease lease = store.find(shardId);
        return lease == null ? null : describe(lease, store.status().heldLeases(), progressByShard());
    }

    /**
     * Releases a lease this worker holds, so that another worker takes it at once. With a coordinator, this is a
     * hand-off: the listener's {@code leaseEnding}, its last checkpoint, then the release. Over HTTP,
     * {@link LeasesEndpointWebExtension} answers 404 for no such shard and 409 when this worker does not hold it.
     */
    @DeleteOperation
    public ReleaseDescriptor release(@Selector String shardId) {
        if (store.find(shardId) == null) {
            return new ReleaseDescriptor(shardId, false, ReleaseDescriptor.NO_SUCH_SHARD, "there is no lease for shard " + shardId);
        }
        if (coordinator != null) {
            return handOff(shardId);
        }
        try {
            store.release(shardId);
            return new ReleaseDescriptor(shardId, true, ReleaseDescriptor.RELEASED, "released by " + store.workerId());
        }
        catch (LeaseLostException notHeld) {
            return new ReleaseDescriptor(shardId, false, ReleaseDescriptor.NOT_HELD, notHeld.getMessage());
        }
    }

    private ReleaseDescriptor handOff(String shardId) {
        try {
            if (coordinator.handOff(shardId).get(handOffTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return new ReleaseDescriptor(shardId, true, ReleaseDescriptor.RELEASED, "handed off by "
                        + store.workerId() + ": the listener ended it, then it was released");
            }
            return new ReleaseDescriptor(shardId, false, ReleaseDescriptor.NOT_HELD, store.workerId()
                    + " does not hold the lease on shard " + shardId + ", or is already handing it over");
        }
        catch (TimeoutException | ExecutionException failure) {
            return new ReleaseDescriptor(shardId, false, ReleaseDescriptor.NOT_HELD, "the hand-off of shard " + shardId
                    + " did not finish within " + handOffTimeout.toMillis() + " ms; the lease expires instead");
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing off shard " + shardId, interrupted);
        }
    }

    private Map<String, ?> progressByShard() {
        return progress == null ? Map.of() : progress.byShard();
    }

    private LeaseDescriptor describe(Lease lease, Set<String> held, Map<String, ?> progressByShard) {
        Duration unchanged = store.unchangedFor(lease.shardId());
        return new LeaseDescriptor(lease.shardId(), lease.owner(), lease.leaseTimeout(), lease.leaseCounter(),
                lease.checkpoint(), lease.parentShardId(), lease.claimRequest(), held.contains(lease.shardId()),
                store.isExpired(lease.shardId()), unchanged == null ? null : unchanged.toMillis(),
                progressByShard.get(lease.shardId()));
    }

    /**
     * The whole table.
     *
     * @param table the lease table
     * @param workerId the worker answering
     * @param leaseDurationMillis the lease duration
     * @param workers leases held by each worker, this one included
     * @param unowned leases of unfinished shards that nobody holds
     * @param coordinator this worker's coordinator, when it runs one
     * @param leases the leases, by shard id
     */
    public record LeasesDescriptor(String table, String workerId, long leaseDurationMillis, Map<String, Integer> workers,
            int unowned, @Nullable CoordinatorDescriptor coordinator, List<LeaseDescriptor> leases)
            implements OperationResponseBody {
    }

    /**
     * One lease.
     *
     * @param shardId the shard
     * @param owner the worker holding it, or null
     * @param leaseTimeout when it expires by its owner's wall clock (for display)
     * @param leaseCounter the fencing token
     * @param checkpoint the last processed sequence number, or SHARD_END
     * @param parentShardId the parent shard
     * @param claimRequest the worker that asked to take it over
     * @param heldByThisWorker whether the worker answering holds it
     * @param expired whether the worker answering has seen it unchanged for longer than the lease duration
     * @param unchangedForMillis how long the worker answering has seen it unchanged: about the time since its last renewal
     * @param progress what this worker's processing did on the shard (records, lag, last checkpoint), when it holds it
     *        and a consumer reports it
     */
    public record LeaseDescriptor(String shardId, @Nullable String owner, @Nullable Instant leaseTimeout, long leaseCounter,
            @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest,
            boolean heldByThisWorker, boolean expired, @Nullable Long unchangedForMillis, @Nullable Object progress)
            implements OperationResponseBody {
    }

    /**
     * What a release did.
     *
     * @param shardId the shard
     * @param released whether the lease was released
     * @param outcome {@code released}, {@code no-such-shard} or {@code not-held}
     * @param message what happened, for people
     */
    public record ReleaseDescriptor(String shardId, boolean released, String outcome, String message)
            implements OperationResponseBody {

        public static final String RELEASED = "released";
        public static final String NO_SUCH_SHARD = "no-such-shard";
        public static final String NOT_HELD = "not-held";
    }
}
