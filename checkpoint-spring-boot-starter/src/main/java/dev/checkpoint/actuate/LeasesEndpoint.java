package dev.checkpoint.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.Lease;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
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

    private final DynamoDbCheckpointer checkpointer;
    private final @Nullable LeaseCoordinator coordinator;

    /** @param coordinator the coordinator, whose view is shown too, or {@code null} when there is none */
    public LeasesEndpoint(DynamoDbCheckpointer checkpointer, @Nullable LeaseCoordinator coordinator) {
        this.checkpointer = checkpointer;
        this.coordinator = coordinator;
    }

    /** Every lease (one paginated, consistent scan), or those of {@code owner} only. */
    @ReadOperation
    public LeasesDescriptor leases(@Nullable String owner) {
        List<Lease> all = checkpointer.listLeases();
        Set<String> held = checkpointer.status().heldLeases();
        Map<String, Integer> workers = new TreeMap<>();
        workers.put(checkpointer.getWorkerId(), 0);
        int unowned = 0;
        for (Lease lease : all) {
            if (lease.isOwned()) {
                workers.merge(lease.owner(), 1, Integer::sum);
            }
            else if (!lease.isFinished()) {
                unowned++;
            }
        }
        List<LeaseDescriptor> leases = all.stream()
                .filter(lease -> owner == null || owner.equals(lease.owner()))
                .map(lease -> describe(lease, held))
                .toList();
        return new LeasesDescriptor(checkpointer.getTableName(), checkpointer.getWorkerId(),
                checkpointer.getLeaseDuration().toMillis(), workers, unowned,
                coordinator == null ? null : CoordinatorDescriptor.of(coordinator.status()), leases);
    }

    /** One lease, read consistently, or 404. */
    @ReadOperation
    public @Nullable LeaseDescriptor lease(@Selector String shardId) {
        Lease lease = checkpointer.findLease(shardId);
        return lease == null ? null : describe(lease, checkpointer.status().heldLeases());
    }

    /** Releases a lease this worker holds, so that another worker takes it at once. */
    @DeleteOperation
    public ReleaseDescriptor release(@Selector String shardId) {
        try {
            checkpointer.removeLeaseOwner(shardId);
            return new ReleaseDescriptor(shardId, true, "released by " + checkpointer.getWorkerId());
        }
        catch (CheckpointException refused) {
            return new ReleaseDescriptor(shardId, false, refused.getMessage());
        }
    }

    private LeaseDescriptor describe(Lease lease, Set<String> held) {
        Duration unchanged = checkpointer.unchangedFor(lease.shardId());
        return new LeaseDescriptor(lease.shardId(), lease.owner(), lease.leaseTimeout(), lease.leaseCounter(),
                lease.checkpoint(), lease.parentShardId(), lease.claimRequest(), held.contains(lease.shardId()),
                checkpointer.isExpired(lease.shardId()), unchanged == null ? null : unchanged.toMillis());
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
            int unowned, @Nullable CoordinatorDescriptor coordinator, List<LeaseDescriptor> leases) {
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
     */
    public record LeaseDescriptor(String shardId, @Nullable String owner, @Nullable Instant leaseTimeout, long leaseCounter,
            @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest,
            boolean heldByThisWorker, boolean expired, @Nullable Long unchangedForMillis) {
    }

    /** What a release did. */
    public record ReleaseDescriptor(String shardId, boolean released, String message) {
    }
}
