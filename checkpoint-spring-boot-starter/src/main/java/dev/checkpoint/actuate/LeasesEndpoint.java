package dev.checkpoint.actuate;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import dev.checkpoint.Lease;
import dev.checkpoint.PendingReset;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.Resets;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.LeaseStore;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/leases}: every lease of the table as this worker sees it, and the number each worker holds.
 * Read-only by default; releasing a lease ({@code DELETE /actuator/leases/{shardId}}) and resetting checkpoints
 * ({@code POST /actuator/leases}, {@code POST /actuator/leases/{shardId}}) need
 * {@code management.endpoint.leases.access=unrestricted}.
 */
@Endpoint(id = "leases", defaultAccess = Access.READ_ONLY)
public class LeasesEndpoint {

    private final LeaseStore store;
    private final @Nullable LeaseCoordinator coordinator;
    private final @Nullable ShardProgress progress;
    private final LeaseReleases releases;
    private final EndpointResets resets;

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
        this.progress = progress;
        this.releases = new LeaseReleases(store, coordinator, handOffTimeout);
        this.resets = new EndpointResets(store);
    }

    /**
     * Every lease of this worker's consumer group (one paginated, consistent scan), or those of {@code owner} only; with
     * {@code groups=all}, in a table shared by consumer groups, the leases of every group.
     */
    @ReadOperation
    public LeasesDescriptor leases(@Nullable String owner, @Nullable String groups) {
        Map<String, List<Lease>> byGroup = "all".equals(groups) ? store.scanEveryGroup()
                : Map.of(ownGroup(), store.scan());
        List<Lease> all = byGroup.values().stream().flatMap(List::stream).toList();
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
        List<LeaseDescriptor> leases = new ArrayList<>();
        byGroup.forEach((group, rows) -> rows.stream()
                .filter(lease -> owner == null || owner.equals(lease.owner()))
                .map(lease -> describe(group, lease, held, progressByShard))
                .forEach(leases::add));
        return new LeasesDescriptor(store.tableName(), store.consumerGroup(), store.workerId(),
                store.renewalMode().text(), store.leaseDuration().toMillis(), workers, unowned,
                coordinator == null ? null : CoordinatorDescriptor.of(coordinator), leases);
    }

    /** One lease, read consistently, or 404. */
    @ReadOperation
    public @Nullable LeaseDescriptor lease(@Selector String shardId) {
        Lease lease = store.find(shardId);
        return lease == null ? null : describe(ownGroup(), lease, store.status().heldLeases(), progressByShard());
    }

    /**
     * Releases a lease this worker holds, so that another worker takes it at once. With a coordinator, this is a
     * hand-off: the listener's {@code leaseEnding}, its last checkpoint, then the release. Over HTTP,
     * {@link LeasesEndpointWebExtension} answers 404 for no such shard and 409 when this worker does not hold it.
     */
    @DeleteOperation
    public ReleaseDescriptor release(@Selector String shardId) {
        return releases.release(shardId);
    }

    /**
     * Resets the checkpoints of every shard, or of the shards named, while the group runs: each owner learns of it at
     * its next renewal, stops, and starts again from {@code position}. Over HTTP, {@code POST /actuator/leases} with
     * {@code {"position": "at-timestamp", "timestamp": "2026-11-29T10:00:00Z"}}; 400 for a bad position, 404 for a shard
     * without a lease.
     *
     * @param position {@code trim-horizon}, {@code latest} or {@code at-timestamp}
     * @param timestamp with {@code at-timestamp}: an ISO-8601 instant
     * @param shards the shards to reset, separated by commas; every shard when absent
     * @param requestedBy who asks, for the audit trail, when the request has no authenticated user
     */
    @WriteOperation
    public ResetsDescriptor reset(String position, @Nullable String timestamp, @Nullable String shards,
            @Nullable String requestedBy, @Nullable Principal principal) {
        return resets.reset(position, timestamp, shards, requestedBy, principal);
    }

    /**
     * Resets the checkpoint of one shard: as {@link #reset}, and to a sequence number of that shard too. Over HTTP,
     * {@code POST /actuator/leases/{shardId}} with {@code {"position": "at-sequence-number", "sequenceNumber": "..."}}.
     *
     * @param position {@code trim-horizon}, {@code latest}, {@code at-timestamp} or {@code at-sequence-number}
     * @param timestamp with {@code at-timestamp}: an ISO-8601 instant
     * @param sequenceNumber with {@code at-sequence-number}: the first record to process again
     * @param requestedBy who asks, for the audit trail, when the request has no authenticated user
     */
    @WriteOperation
    public ResetsDescriptor resetShard(@Selector String shardId, String position, @Nullable String timestamp,
            @Nullable String sequenceNumber, @Nullable String requestedBy, @Nullable Principal principal) {
        return resets.resetShard(shardId, position, timestamp, sequenceNumber, requestedBy, principal);
    }

    private Map<String, ?> progressByShard() {
        return progress == null ? Map.of() : progress.byShard();
    }

    /** This worker's consumer group, or {@code ""} in the Go library's layout (one group per table). */
    private String ownGroup() {
        return Objects.requireNonNullElse(store.consumerGroup(), "");
    }

    /**
     * One lease of {@code group} ({@code ""}: the Go library's layout). This worker's observations and progress are of
     * its own group's leases only.
     */
    private LeaseDescriptor describe(String group, Lease lease, Set<String> held, Map<String, ?> progressByShard) {
        boolean ours = group.equals(ownGroup());
        Duration unchanged = ours ? store.unchangedFor(lease.shardId()) : null;
        return new LeaseDescriptor(group.isEmpty() ? null : group, lease.shardId(), lease.owner(), lease.ownerEpoch(),
                lease.leaseTimeout(), lease.leaseCounter(),
                lease.checkpoint(), lease.parentShardId(), lease.claimRequest(), ours && held.contains(lease.shardId()),
                ours && store.isExpired(lease.shardId()), unchanged == null ? null : unchanged.toMillis(),
                ours ? progressByShard.get(lease.shardId()) : null, PendingResetDescriptor.of(lease.pendingReset()),
                lease.startingPosition() == null ? null : lease.startingPosition().toString());
    }

    /**
     * The whole table.
     *
     * @param table the lease table
     * @param consumerGroup the worker's consumer group, in a table shared by groups; else null
     * @param workerId the worker answering
     * @param renewalMode {@code lease} (each lease renewed) or {@code worker} (one heartbeat per worker)
     * @param leaseDurationMillis the lease duration
     * @param workers leases held by each worker, this one included
     * @param unowned leases of unfinished shards that nobody holds
     * @param coordinator this worker's coordinator, when it runs one
     * @param leases the leases, by shard id
     */
    public record LeasesDescriptor(String table, @Nullable String consumerGroup, String workerId, String renewalMode,
            long leaseDurationMillis, Map<String, Integer> workers,
            int unowned, @Nullable CoordinatorDescriptor coordinator, List<LeaseDescriptor> leases)
            implements OperationResponseBody {
    }

    /**
     * One lease.
     *
     * @param group its consumer group, in a table shared by groups; else null
     * @param shardId the shard
     * @param owner the worker holding it, or null
     * @param ownerEpoch in worker renewal mode, the epoch of the owner's process (whose heartbeat keeps it), or null
     * @param leaseTimeout when it expires by its owner's wall clock (for display); none in worker renewal mode
     * @param leaseCounter the fencing token
     * @param checkpoint the last processed sequence number, or SHARD_END
     * @param parentShardId the parent shard
     * @param claimRequest the worker that asked to take it over
     * @param heldByThisWorker whether the worker answering holds it
     * @param expired whether the worker answering has seen it unchanged for longer than the lease duration
     * @param unchangedForMillis how long the worker answering has seen it unchanged: about the time since its last renewal
     *        (in worker renewal mode, since its owner's last heartbeat)
     * @param progress what this worker's processing did on the shard (records, lag, last checkpoint), when it holds it
     *        and a consumer reports it
     * @param reset a reset asked for and not yet applied: the owner stops at its next renewal, and the next take applies it
     * @param startingPosition where processing starts again after a reset, until its first checkpoint
     */
    public record LeaseDescriptor(@Nullable String group, String shardId, @Nullable String owner,
            @Nullable String ownerEpoch, @Nullable Instant leaseTimeout, long leaseCounter,
            @Nullable String checkpoint, @Nullable String parentShardId, @Nullable String claimRequest,
            boolean heldByThisWorker, boolean expired, @Nullable Long unchangedForMillis, @Nullable Object progress,
            @Nullable PendingResetDescriptor reset, @Nullable String startingPosition)
            implements OperationResponseBody {
    }

    /**
     * A reset standing on a lease, not yet applied.
     *
     * @param to where processing is to start again
     * @param requestedBy who asked for it
     * @param requestedAt when
     * @param id the reset's id, as in the audit lines
     */
    public record PendingResetDescriptor(String to, String requestedBy, Instant requestedAt, String id) {

        static @Nullable PendingResetDescriptor of(@Nullable PendingReset reset) {
            return reset == null ? null
                    : new PendingResetDescriptor(reset.to().toString(), reset.requestedBy(), reset.requestedAt(), reset.id());
        }
    }

    /**
     * What a reset did.
     *
     * @param outcome {@code reset}, {@code bad-request} or {@code no-such-shard}
     * @param message what happened, for people
     * @param shards each shard reset: what it was at, and where it starts again
     */
    public record ResetsDescriptor(String outcome, String message, List<ShardResetDescriptor> shards)
            implements OperationResponseBody {

        public static final String RESET = "reset";
        public static final String BAD_REQUEST = "bad-request";
        public static final String NO_SUCH_SHARD = "no-such-shard";

        static ResetsDescriptor of(List<ResetReceipt> receipts) {
            return new ResetsDescriptor(RESET, receipts.size() + " shard" + (receipts.size() == 1 ? "" : "s")
                    + " reset; each owner stops at its next renewal (or heartbeat) and starts again from the new position",
                    receipts.stream().map(ShardResetDescriptor::of).toList());
        }

        static ResetsDescriptor refused(IllegalArgumentException refused) {
            String message = refused.getMessage();
            return new ResetsDescriptor(message != null && message.startsWith("no lease") ? NO_SUCH_SHARD : BAD_REQUEST,
                    message == null ? refused.toString() : message, List.of());
        }
    }

    /**
     * One shard reset.
     *
     * @param shardId the shard
     * @param from its checkpoint (or starting position) when the reset was written
     * @param to where it starts again
     * @param owner the worker that held it then, which stops at its next renewal
     * @param requestedBy who asked
     * @param requestedAt when
     * @param id the reset's id, as in the audit lines
     */
    public record ShardResetDescriptor(String shardId, String from, String to, @Nullable String owner, String requestedBy,
            Instant requestedAt, String id) {

        static ShardResetDescriptor of(ResetReceipt receipt) {
            PendingReset reset = receipt.reset();
            return new ShardResetDescriptor(receipt.shardId(), receipt.from(), reset.to().toString(), receipt.owner(),
                    reset.requestedBy(), reset.requestedAt(), reset.id());
        }
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
