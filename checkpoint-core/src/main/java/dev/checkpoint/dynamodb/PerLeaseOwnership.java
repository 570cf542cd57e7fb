package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.checkpoint.KeepAlive;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RenewalModeMismatchException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Per-lease ownership, the Go library's and the KCL's: each lease row carries a {@code LeaseTimeout} and is renewed by
 * its owner every renew interval ({@link RenewalWrites}); a lease is judged expired when its row stood still for a lease
 * duration. A lease row that names an owner's process is a worker-mode worker's, which this worker never takes.
 */
final class PerLeaseOwnership implements Ownership, KeepAlive.ByRenewal {

    private final TableClient table;
    private final LeaseReader reader;
    private final OwnLeases own;
    private final RenewalWrites renewals;

    PerLeaseOwnership(TableClient table, LeaseReader reader, OwnLeases own, RenewalWrites renewals) {
        this.table = table;
        this.reader = reader;
        this.own = own;
        this.renewals = renewals;
    }

    /** What a scan makes of the table's own rows: a table in worker mode stops the sync of a per-lease worker. */
    static LeaseReader.TableRowsObserver refusingWorkerModeTables(String tableName) {
        return (rows, sentAtNanos) -> {
            if (rows.mode() == RenewalMode.WORKER) {
                throw new RenewalModeMismatchException(tableName, RenewalMode.WORKER, RenewalMode.LEASE,
                        "its mode row says so");
            }
        };
    }

    @Override
    public RenewalMode mode() {
        return RenewalMode.LEASE;
    }

    @Override
    public KeepAlive keepAlive() {
        return this;
    }

    @Override
    public Set<String> renew(String shardId, Duration timeLeft) {
        ShardStatus shard = new ShardStatus(ShardStatus.requireShardId(shardId, "shardId"));
        Objects.requireNonNull(timeLeft, "timeLeft");
        return renewals.renew(shard, own.observations.now() + timeLeft.toNanos());
    }

    /** A lease held in worker mode by another worker is never taken: the table is the other mode's. */
    @Override
    public @Nullable RuntimeException refusal(Observation seen, String newOwner) {
        Lease lease = seen.lease();
        if (seen.ownerEpoch() != null && lease.isOwned() && !lease.isOwnedBy(newOwner)) {
            return new RenewalModeMismatchException(table.tableName, RenewalMode.WORKER, RenewalMode.LEASE, "shard "
                    + lease.shardId() + " is held by " + lease.owner() + " in worker mode");
        }
        return null;
    }

    /** The name is the owner: a restarted worker of the same id takes its leases back by renewing them. */
    @Override
    public boolean isThisProcess(Observation seen) {
        return true;
    }

    @Override
    public boolean renewIfHeldAsSeen(ShardStatus shard, String newOwner, @Nullable Observation seen) {
        if (seen == null || !seen.lease().isOwnedBy(newOwner) || seen.lease().leaseCounter() <= 0
                || !newOwner.equals(shard.getLeaseOwner())
                || !Long.valueOf(seen.lease().leaseCounter()).equals(shard.getLeaseCounter())) {
            return false;
        }
        try {
            renewals.renew(shard, own.observations.now() + own.leaseDuration.toNanos());
            return true;
        }
        catch (LeaseNotAcquiredException noLongerOurs) {
            return false;   // the row moved on: it may still be taken, as the seed's GetLease would
        }
    }

    @Override
    public TakeStamp stampTake(String shardId, @Nullable Observation seen) {
        return new TakeStamp(table.clock.instant().plus(own.leaseDuration), null);
    }

    @Override
    public void taken(String shardId) {
    }

    @Override
    public @Nullable String handOffTo(String shardId) {
        return null;   // a claim stands on the lease row itself, and the release keeps it
    }

    @Override
    public void checkRelease(String shardId, @Nullable Observation seen, boolean knownOwn) {
    }

    @Override
    public void stampRelease(ConditionalUpdate release, @Nullable String claimant) {
    }

    @Override
    public void leasesChanged() {
    }

    @Override
    public boolean claimFromOwner(@Nullable Observation seen, @Nullable String expectedOwner, String claimant) {
        return false;
    }

    @Override
    public void withdrawClaimFromOwner(String shardId, String owner, String claimant) {
    }

    /** On the successor's lease row, which its next renewal clears and reads back. */
    @Override
    public UpdateItemRequest handOverNote(String shardId, String successor, String successorsLease) {
        return table.request(LeaseConditions.handOverNote(successor, shardId), successorsLease, ReturnValue.NONE);
    }

    @Override
    public void freeLeaseReset() {
        // every per-lease worker scans the whole table at each sync
    }

    @Override
    public List<Lease> readForSync() {
        return reader.scan();
    }

    @Override
    public Duration unchangedFor(Observation seen) {
        return Duration.ofNanos(own.observations.now() - seen.sinceNanos());
    }

    /** Reads the table's mode row: one GetItem, and nothing written. */
    @Override
    public void register() {
        if (reader.tableRenewalMode() == RenewalMode.WORKER) {
            throw new RenewalModeMismatchException(table.tableName, RenewalMode.WORKER, RenewalMode.LEASE,
                    "its mode row says so");
        }
    }
}
