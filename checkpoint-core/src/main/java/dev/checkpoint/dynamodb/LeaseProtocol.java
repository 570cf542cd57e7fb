package dev.checkpoint.dynamodb;

import java.util.Set;

import dev.checkpoint.Lease;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;

/**
 * The lease protocol: every write to the lease table, with the condition that makes it safe.
 *
 * <ul>
 * <li>The fencing token is {@code LeaseCounter}. Each take, renewal and release increments it, on condition
 * that the row is still the version this worker last saw; a checkpoint is written on condition that the
 * owner and counter are still the ones this worker's own take or renewal wrote.</li>
 * <li>Expiry is judged by local observation ({@link LeaseObservations}), never by comparing clocks.</li>
 * <li>Each operation is one conditional UpdateItem in the normal case. A refusal judged on what was last
 * seen is checked with one consistent read first, since the view may be stale.</li>
 * <li>After a conditional failure the row is re-read: a retry of our own write that had in fact succeeded is
 * success, anything else is a lost race and gets its own exception.</li>
 * <li>Claims (lease stealing): while a claim stands, only the claimant may take the lease, and the owner's
 * renewal fails with {@link ShardClaimedException}. A claim that stands unchanged for longer than the claim
 * timeout is ignored and removed by the next take or renewal.</li>
 * <li>Resets: an operator's reset is written on the row without changing its version; while it stands, the owner's
 * renewals and checkpoints fail with {@link dev.checkpoint.ShardResetException}, and the next take applies it.</li>
 * </ul>
 */
final class LeaseProtocol {

    private final OwnLeases own;
    private final TakeWrites takes;
    private final CheckpointWrites checkpoints;
    private final ReleaseAndClaimWrites releasesAndClaims;
    private final ResetWrites resets;

    LeaseProtocol(TableClient table, OwnLeases own, LeaseReader reader, Ownership ownership) {
        this.own = own;
        this.takes = new TakeWrites(table, own, reader, ownership);
        this.checkpoints = new CheckpointWrites(table, own, reader, ownership);
        this.releasesAndClaims = new ReleaseAndClaimWrites(table, own, reader, ownership);
        this.resets = new ResetWrites(table, own.listener, ownership);
    }

    /** The seed's take-or-renew: see {@link TakeWrites#getLease}. */
    void getLease(ShardStatus shard, String newOwner) {
        takes.getLease(shard, newOwner);
    }

    /** Takes the lease, fills {@code shard} from the row as written, and returns that row. */
    Lease take(ShardStatus shard, String newOwner) {
        return takes.take(shard, newOwner);
    }

    /** @param deadlineNanos when to give up, on the monotonic clock; {@code null}: after the retries only */
    void checkpoint(ShardStatus shard, @Nullable Long deadlineNanos) {
        checkpoints.checkpoint(shard, deadlineNanos);
    }

    void release(String shardId) {
        releasesAndClaims.release(shardId);
    }

    boolean releaseWhoeverHolds(String shardId) {
        return releasesAndClaims.releaseWhoeverHolds(shardId);
    }

    void handOver(String shardId, String successor, String successorsLease) {
        releasesAndClaims.handOver(shardId, successor, successorsLease);
    }

    void withdrawClaim(String shardId, String owner, String claimant) {
        releasesAndClaims.withdrawClaim(shardId, owner, claimant);
    }

    void claim(ShardStatus shard, String claimant) {
        releasesAndClaims.claim(shard, claimant);
    }

    @Nullable ResetReceipt requestReset(String shardId, StartingPosition to, String requestedBy) {
        return resets.request(shardId, to, requestedBy);
    }

    /** In a table shared by consumer groups: the stream the group is bound to, recorded on the rows it takes. */
    void boundTo(String identity) {
        own.boundTo(identity);
    }

    @Nullable String streamIdentity() {
        return own.streamIdentity();
    }

    /** The shards whose lease this worker took or renewed less than a lease duration ago, by its own clock. */
    Set<String> heldLeases() {
        return own.heldLeases();
    }
}
