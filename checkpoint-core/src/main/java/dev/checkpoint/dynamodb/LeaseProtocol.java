package dev.checkpoint.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

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

    private final RenewalWrites renewals;
    private final TakeWrites takes;
    private final CheckpointWrites checkpoints;
    private final ReleaseAndClaimWrites releasesAndClaims;
    private final ResetWrites resets;

    LeaseProtocol(DynamoDbClient client, DynamoDbCalls calls, LeaseReader reader, LeaseObservations observations,
            String tableName, LeaseKeys keys, String workerId, Duration leaseDuration, boolean leaseStealing, Clock clock,
            CheckpointListener listener, ScanAndRenewalAges ages, @Nullable WorkerHeartbeats heartbeats) {
        ProtocolPart shared = new ProtocolPart(client, calls, reader, observations, tableName, keys, workerId, leaseDuration,
                leaseStealing, clock, listener, ages, heartbeats) { };
        this.renewals = new RenewalWrites(shared);
        this.takes = new TakeWrites(shared, renewals);
        this.checkpoints = new CheckpointWrites(shared);
        this.releasesAndClaims = new ReleaseAndClaimWrites(shared);
        this.resets = new ResetWrites(shared);
    }

    /** The seed's take-or-renew: see {@link TakeWrites#getLease}. */
    void getLease(ShardStatus shard, String newOwner) {
        takes.getLease(shard, newOwner);
    }

    void take(ShardStatus shard, String newOwner) {
        takes.take(shard, newOwner);
    }

    Set<String> renew(ShardStatus shard, long deadlineNanos) {
        return renewals.renew(shard, deadlineNanos);
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
        takes.streamIdentity.set(identity);
    }

    @Nullable String streamIdentity() {
        return takes.streamIdentity.get();
    }

    /** The shards whose lease this worker took or renewed less than a lease duration ago, by its own clock. */
    Set<String> heldLeases() {
        return takes.heldLeases();
    }
}
