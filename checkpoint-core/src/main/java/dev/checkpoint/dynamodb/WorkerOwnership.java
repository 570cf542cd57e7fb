package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Heartbeat;
import dev.checkpoint.KeepAlive;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Per-worker ownership: a lease row names its owner and the owner's process epoch, and stays alive while that
 * process's heartbeat row moves ({@link WorkerHeartbeats}); lease rows are written only when a lease changes hands and
 * at checkpoints. Claims, resets and hand-overs reach an owner through its heartbeat row's mailboxes, and syncs read
 * the whole table only when something changed ({@link SyncReads}).
 */
final class WorkerOwnership implements Ownership, KeepAlive.ByHeartbeat {

    private final TableClient table;
    private final OwnLeases own;
    private final WorkerHeartbeats heartbeats;
    private final SyncReads syncReads;
    /** What refuses to mark a table whose per-lease workers still renew. */
    private final PerLeaseWorkersCheck perLeaseWorkers;
    private final LeaseReader reader;

    WorkerOwnership(TableClient table, OwnLeases own, WorkerHeartbeats heartbeats, SyncReads syncReads,
            PerLeaseWorkersCheck perLeaseWorkers, LeaseReader reader) {
        this.table = table;
        this.own = own;
        this.heartbeats = heartbeats;
        this.syncReads = syncReads;
        this.perLeaseWorkers = perLeaseWorkers;
        this.reader = reader;
    }

    @Override
    public RenewalMode mode() {
        return RenewalMode.WORKER;
    }

    @Override
    public KeepAlive keepAlive() {
        return this;
    }

    /** One conditional UpdateItem of this worker's heartbeat row, which brings its mailboxes back. */
    @Override
    public Heartbeat heartbeat(Duration timeLeft) {
        Objects.requireNonNull(timeLeft, "timeLeft");
        try {
            Heartbeat beat = heartbeats.beat(own.observations.now() + timeLeft.toNanos());
            own.ages.renewalSucceeded();
            return beat;
        }
        catch (CheckpointStoreException failure) {
            own.ages.renewalFailed();
            throw failure;
        }
    }

    @Override
    public void deregister() {
        heartbeats.deregister();
    }

    @Override
    public @Nullable RuntimeException refusal(Observation seen, String newOwner) {
        return null;
    }

    /** The epoch tells: a restarted process has the same worker id, and a new epoch. */
    @Override
    public boolean isThisProcess(Observation seen) {
        return Objects.equals(seen.ownerEpoch(), heartbeats.epoch());
    }

    /** Leases are not renewed one by one: the seed's getLease is always a take. */
    @Override
    public boolean renewIfHeldAsSeen(ShardStatus shard, String newOwner, @Nullable Observation seen) {
        return false;
    }

    /** This process's epoch; an owner whose heartbeat stood still is marked dead first. */
    @Override
    public TakeStamp stampTake(String shardId, @Nullable Observation seen) {
        String epoch = heartbeats.epoch();
        if (epoch == null) {
            throw new LeaseNotAcquiredException(shardId, own.workerId + " is not registered: it takes no lease");
        }
        if (seen != null) {
            heartbeats.expireIfSilent(seen);
        }
        return new TakeStamp(null, epoch);
    }

    @Override
    public void taken(String shardId) {
        heartbeats.taken(shardId);
    }

    /** The worker that claimed the shard through this worker's heartbeat, if any. */
    @Override
    public @Nullable String handOffTo(String shardId) {
        return heartbeats.handOffTo(shardId);
    }

    /** Only this process's own lease, as it holds it: the name alone may be a restarted process's. */
    @Override
    public void checkRelease(String shardId, @Nullable Observation seen, boolean knownOwn) {
        if (!(knownOwn && isThisProcess(seen))) {
            throw OwnLeases.lost(shardId, own.workerId + " (process " + heartbeats.epoch() + ")", OwnLeases.leaseOf(seen));
        }
    }

    /** The process epoch goes with the owner, and a claimant's name is written on the row. */
    @Override
    public void stampRelease(ConditionalUpdate release, @Nullable String claimant) {
        LeaseConditions.releasedByProcess(release, claimant);
    }

    @Override
    public void leasesChanged() {
        heartbeats.leasesChanged();
    }

    /** Through the owner's heartbeat mailbox, when the lease seen is held by the expected owner's process. */
    @Override
    public boolean claimFromOwner(@Nullable Observation seen, @Nullable String expectedOwner, String claimant) {
        if (seen == null || seen.ownerEpoch() == null || !Objects.equals(expectedOwner, seen.lease().owner())) {
            return false;
        }
        String shardId = seen.lease().shardId();
        String owner = seen.lease().owner();
        try {
            table.update(CheckpointOperation.CLAIM_SHARD, shardId, table.withTimeouts(HeartbeatRows.claim(table.tableName,
                    table.key(HeartbeatRows.key(owner)), seen.ownerEpoch(), shardId, claimant)));
        }
        catch (ConditionalCheckFailedException refused) {
            HeartbeatRows.Row row = heartbeats.readRow(owner);
            String standing = row == null ? null : row.claims().get(shardId);
            if (standing != null && !claimant.equals(standing)) {
                throw new ShardClaimedException(shardId, standing);
            }
            if (standing == null) {
                throw new LeaseNotAcquiredException(shardId, "cannot claim shard " + shardId + " from " + owner
                        + ": its process " + seen.ownerEpoch() + " is gone");
            }
            // a retry of our own claim, which had landed
        }
        return true;
    }

    @Override
    public void withdrawClaimFromOwner(String shardId, String owner, String claimant) {
        try {
            table.update(CheckpointOperation.CLAIM_SHARD, shardId, table.withTimeouts(HeartbeatRows.withdrawClaim(
                    table.tableName, table.key(HeartbeatRows.key(owner)), shardId, claimant)));
        }
        catch (ConditionalCheckFailedException notThere) {
            // handed over already, or the owner's process is gone: the row may carry it
        }
    }

    /** In the successor's heartbeat mailbox, which its next heartbeat brings back. */
    @Override
    public UpdateItemRequest handOverNote(String shardId, String successor, String successorsLease) {
        return table.withTimeouts(HeartbeatRows.handOverNote(table.tableName, table.key(HeartbeatRows.key(successor)),
                shardId));
    }

    /**
     * Workers scan the whole table only when something changed: the table's changes are moved, so that the free lease
     * reset (a finished shard, say) is taken again.
     */
    @Override
    public void freeLeaseReset() {
        try {
            table.update(CheckpointOperation.RESET_SHARD, null, table.withTimeouts(HeartbeatRows.bumpTableChanges(
                    table.tableName, table.key(HeartbeatRows.MODE_ROW))));
        }
        catch (ConditionalCheckFailedException | CheckpointStoreException unanswered) {
            OwnLeases.log.debug("Table changes not moved for the reset of a free lease: {}", unanswered.getMessage());
        }
    }

    @Override
    public List<Lease> readForSync() {
        return syncReads.read();
    }

    /** Judged by the owner's heartbeat, for a lease held under an owner epoch; else by the row. */
    @Override
    public @Nullable Duration unchangedFor(Observation seen) {
        return seen.ownerEpoch() != null && seen.lease().owner() != null ? heartbeats.unchangedFor(seen.lease().owner())
                : Duration.ofNanos(own.observations.now() - seen.sinceNanos());
    }

    /**
     * Marks the table (the first time, once no per-lease worker renews leases in it: see {@link PerLeaseWorkersCheck})
     * and writes this process's heartbeat row under a new epoch: a GetItem of the mode row, then two writes.
     */
    @Override
    public void register() {
        if (reader.tableRenewalMode() != RenewalMode.WORKER) {
            perLeaseWorkers.refuseWhileRenewed();
        }
        heartbeats.register();
    }
}
