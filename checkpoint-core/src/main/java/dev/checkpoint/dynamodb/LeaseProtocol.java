package dev.checkpoint.dynamodb;


import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

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
 * </ul>
 */
final class LeaseProtocol {

    private static final Logger log = LoggerFactory.getLogger(LeaseProtocol.class);

    /**
     * Attempts of a write whose row an earlier write of this worker changed since it was seen: one that DynamoDB
     * applied after the client had given up on it. This worker's writes to one row never overlap ({@link OwnWrites}).
     */
    private static final int OWN_RACE_ATTEMPTS = 3;

    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final LeaseReader reader;
    private final LeaseObservations observations;
    private final String tableName;
    private final String workerId;
    private final Duration leaseDuration;
    private final boolean leaseStealing;
    private final Clock clock;
    private final CheckpointListener listener;
    private final Activity activity;
    private final OwnWrites ownWrites;
    /** Every owner name this worker has taken leases under: its worker id, and any other name given to getLease. */
    private final Set<String> ownNames = ConcurrentHashMap.newKeySet();

    LeaseProtocol(DynamoDbClient client, DynamoDbCalls calls, LeaseReader reader, LeaseObservations observations,
            String tableName, String workerId, Duration leaseDuration, boolean leaseStealing, Clock clock,
            CheckpointListener listener, Activity activity) {
        this.listener = listener;
        this.activity = activity;
        this.client = client;
        this.calls = calls;
        this.reader = reader;
        this.observations = observations;
        this.tableName = tableName;
        this.workerId = workerId;
        this.leaseDuration = leaseDuration;
        this.leaseStealing = leaseStealing;
        this.clock = clock;
        this.ownNames.add(workerId);
        this.ownWrites = new OwnWrites(observations::now);
    }

    // ---------------------------------------------------------------------------------------------- take, renew

    /**
     * The seed's take-or-renew, built on {@link #renew} and {@link #take}: a lease that {@code newOwner} holds as
     * {@code shard} says (same owner and counter as this worker last saw) is renewed; anything else is taken, when it
     * may be, as the Go library's {@code GetLease} did.
     */
    void getLease(ShardStatus shard, String newOwner) {
        ownNames.add(newOwner);
        Observation seen = observations.get(shard.getId());
        if (holdsAsSeen(shard, newOwner, seen)) {
            try {
                renew(shard, observations.now() + leaseDuration.toNanos());
                return;
            }
            catch (LeaseNotAcquiredException noLongerOurs) {
                // the row moved on: it may still be taken, as the seed's GetLease would
            }
        }
        take(shard, newOwner);
    }

    /** Whether {@code shard} holds the lease as this worker last took or renewed it. */
    private static boolean holdsAsSeen(ShardStatus shard, String owner, Observation seen) {
        return seen != null && seen.lease().isOwnedBy(owner) && seen.lease().leaseCounter() > 0
                && owner.equals(shard.getLeaseOwner()) && Long.valueOf(seen.lease().leaseCounter()).equals(shard.getLeaseCounter());
    }

    /**
     * Takes the lease for {@code newOwner}: free, expired as observed, or already {@code newOwner}'s; and while
     * another worker's claim stands, only for the claimant. Fills {@code shard} from the row as written.
     */
    void take(ShardStatus shard, String newOwner) {
        ownWrites.lock(shard.getId());
        try {
            takeLocked(shard, newOwner);
        }
        finally {
            ownWrites.unlock(shard.getId());
        }
    }

    private void takeLocked(ShardStatus shard, String newOwner) {
        String shardId = shard.getId();
        ownNames.add(newOwner);
        Observation seen = observations.get(shardId);
        if (seen != null && refusal(seen, newOwner) != null) {
            // A refusal judged on what may be an old view: look at the row again before refusing.
            seen = reader.read(shardId);
            RuntimeException refused = seen == null ? null : refusal(seen, newOwner);
            if (refused != null) {
                throw refused;
            }
        }
        // A shard never seen is tried as free (or new) in one write; the re-read after a refusal tells the rest.
        takeAsSeen(shard, newOwner, seen, seen == null);
    }

    /**
     * Renews a lease this worker holds, as it last took or renewed it, and nothing else: when the row is no longer
     * this worker's (released, taken, deleted), it fails and never takes the lease again. Gives up at
     * {@code deadlineNanos}, when the lease runs out by this worker's own clock.
     *
     * @throws ShardClaimedException when another worker's claim stands: hand the shard over
     * @throws LeaseNotAcquiredException when the row is no longer this worker's
     * @throws CheckpointStoreException when DynamoDB did not answer in time
     */
    void renew(ShardStatus shard, long deadlineNanos) {
        String shardId = shard.getId();
        ownWrites.lockBefore(shardId, deadlineNanos, "renewal");
        try {
            for (int attempt = 1; attempt <= OWN_RACE_ATTEMPTS; attempt++) {
                Observation seen = observations.get(shardId);
                if (seen == null || !seen.lease().isOwned() || !ownNames.contains(seen.lease().owner())) {
                    throw new LeaseNotAcquiredException(shardId, workerId + " cannot renew the lease on shard " + shardId
                            + ": " + (seen == null ? "it has not taken it" : "it is no longer this worker's, as last seen"));
                }
                if (refusal(seen, seen.lease().owner()) != null) {
                    // A refusal judged on what may be an old view: look at the row again before refusing.
                    Observation reread = reader.read(shardId);
                    RuntimeException refused = reread == null ? null : refusal(reread, seen.lease().owner());
                    if (refused != null) {
                        throw refused;
                    }
                    continue;
                }
                if (renewOnce(shard, seen, deadlineNanos)) {
                    return;
                }
            }
            throw new CheckpointStoreException(shardId, "renewal of shard " + shardId
                    + " kept finding the row changed by earlier writes of this worker", null);
        }
        finally {
            ownWrites.unlock(shardId);
        }
    }

    /** One renewal write; {@code false} when an earlier write of this worker changed the row since it was seen. */
    private boolean renewOnce(ShardStatus shard, Observation seen, long deadlineNanos) {
        String shardId = shard.getId();
        Lease lease = seen.lease();
        Instant timeout = clock.instant().plus(leaseDuration);
        UpdateItemRequest request = LeaseConditions.renewal(seen, timeout, shard.getParentShardId(), leaseStealing,
                claimExpired(seen)).toRequest(tableName, shardId, ReturnValue.NONE).build();
        long sentAt = observations.now();
        try {
            calls.executeBefore(deadlineNanos, CheckpointOperation.RENEW_LEASE, shardId,
                    overrides -> client.updateItem(request.toBuilder().overrideConfiguration(overrides).build()));
            succeeded(shard, renewed(lease, timeout, shard.getParentShardId()), LeaseSerializer.timeout(timeout).s(), sentAt,
                    lease);
            return true;
        }
        catch (CheckpointStoreException failure) {
            activity.renewalFailed();
            throw failure;
        }
        catch (ConditionalCheckFailedException lostRace) {
            Observation reread = reader.read(shardId);
            Lease current = reread == null ? null : reread.lease();
            if (current != null && current.isOwnedBy(lease.owner())) {
                if (current.leaseCounter() == lease.leaseCounter() + 1) {
                    succeeded(shard, current, reread.timeoutText(), sentAt, lease);  // a retry of ours, which had landed
                    return true;
                }
                RuntimeException refused = refusal(reread, lease.owner());
                if (refused != null) {
                    throw refused;
                }
                return false;   // moved by an earlier write of ours that landed late: renew the row as it is now
            }
            listener.leaseLost(shardId);
            if (current != null) {
                shard.update(current);
            }
            throw new LeaseNotAcquiredException(shardId, "could not renew the lease on shard " + shardId + " for "
                    + lease.owner() + ": " + (current == null ? "the row was deleted" : current.isOwned()
                            ? "it is now held by " + current.owner() + " (counter " + current.leaseCounter() + ")"
                            : "it was released"));
        }
    }

    /** The lease as a renewal leaves it: the checkpoint as now seen, since one of ours may have been written meanwhile. */
    private Lease renewed(Lease lease, Instant timeout, String parentShardId) {
        Observation now = observations.get(lease.shardId());
        String checkpoint = now != null ? now.lease().checkpoint() : lease.checkpoint();
        return new Lease(lease.shardId(), lease.owner(), timeout, lease.leaseCounter() + 1, checkpoint,
                parentShardId != null ? parentShardId : lease.parentShardId(), leaseStealing ? null : lease.claimRequest());
    }

    /** Why {@code newOwner} may not take or renew the lease as seen, or {@code null} when it may. */
    private RuntimeException refusal(Observation seen, String newOwner) {
        Lease lease = seen.lease();
        long now = observations.now();
        if (leaseStealing && lease.hasClaim() && !lease.claimRequest().equals(newOwner)
                && !observations.isClaimExpired(seen, now)) {
            return new ShardClaimedException(lease.shardId(), lease.claimRequest());
        }
        if (lease.isOwned() && !lease.isOwnedBy(newOwner) && !observations.isExpired(seen, now)) {
            return new LeaseNotAcquiredException(lease.shardId(), "lease on shard " + lease.shardId() + " is held by "
                    + lease.owner() + " (counter " + lease.leaseCounter() + ") and has not expired");
        }
        return null;
    }

    /**
     * One take of the lease as seen ({@code null}: never seen, tried as free or new). The row is read back, so that
     * the caller starts from the checkpoint really stored. {@code optimistic}: a refusal of a shard never seen is
     * judged again on the row as re-read, and taken when it may be after all.
     */
    private void takeAsSeen(ShardStatus shard, String newOwner, Observation seen, boolean optimistic) {
        String shardId = shard.getId();
        Lease lease = seen == null ? null : seen.lease();
        // A row that still names this worker is taken back: reported as a renewal, as the seed's getLease did.
        boolean renewal = lease != null && lease.isOwnedBy(newOwner);
        CheckpointOperation operation = renewal ? CheckpointOperation.RENEW_LEASE : CheckpointOperation.TAKE_LEASE;
        Instant timeout = clock.instant().plus(leaseDuration);
        UpdateItemRequest request = LeaseConditions.take(seen, newOwner, shard.getParentShardId(), timeout, leaseStealing,
                claimExpired(seen)).toRequest(tableName, shardId, ReturnValue.ALL_NEW)
                .overrideConfiguration(calls.requestOverrides()).build();
        long sentAt = observations.now();
        try {
            Map<String, AttributeValue> item = calls.execute(operation, shardId, () -> client.updateItem(request)).attributes();
            succeeded(shard, LeaseSerializer.toLease(item), LeaseSerializer.timeoutText(item), sentAt, lease);
        }
        catch (CheckpointStoreException failure) {
            activity.renewalFailed();
            throw failure;
        }
        catch (ConditionalCheckFailedException lostRace) {
            Observation reread = reader.read(shardId);
            Lease current = reread == null ? null : reread.lease();
            Long expectedCounter = lease == null ? null : lease.leaseCounter() + 1;
            boolean ourWriteLanded = current != null && current.isOwnedBy(newOwner)
                    && (expectedCounter != null ? current.leaseCounter() == expectedCounter
                            : timeout.equals(current.leaseTimeout()));
            if (ourWriteLanded) {
                succeeded(shard, current, reread.timeoutText(), sentAt, lease);
                return;
            }
            if (renewal) {
                listener.leaseLost(shardId);
            }
            if (current != null) {
                shard.update(current);
                RuntimeException refused = refusal(reread, newOwner);
                if (refused == null && optimistic) {
                    // The shard was not free after all, but may be taken as now seen (it is ours, say).
                    takeAsSeen(shard, newOwner, reread, false);
                    return;
                }
                if (refused instanceof ShardClaimedException) {
                    throw refused;
                }
            }
            throw new LeaseNotAcquiredException(shardId, "could not " + operation.description() + " on shard " + shardId
                    + " for " + newOwner + ": " + (current == null ? "the row was deleted" : "it is now held by "
                            + current.owner() + " (counter " + current.leaseCounter() + ")"));
        }
    }

    private void succeeded(ShardStatus shard, Lease lease, String timeoutText, long sentAt, Lease before) {
        observations.observeOwnWrite(lease, timeoutText, sentAt);
        shard.update(lease);
        activity.renewalSucceeded();
        if (before != null && before.isOwnedBy(lease.owner())) {
            listener.leaseRenewed(lease.shardId());
            log.debug("Renewed lease on shard {}: counter {}", lease.shardId(), lease.leaseCounter());
        }
        else {
            String previousOwner = before == null ? null : before.owner();
            listener.leaseAcquired(lease.shardId(), previousOwner, before != null && lease.owner().equals(before.claimRequest()));
            log.debug("Took lease on shard {} for {} from {}: counter {}", lease.shardId(), lease.owner(),
                    previousOwner == null ? "nobody" : previousOwner, lease.leaseCounter());
        }
    }

    // ------------------------------------------------------------------------------------------------ checkpoint

    void checkpoint(ShardStatus shard) {
        String shardId = shard.getId();
        String checkpoint = shard.getCheckpoint();
        if (checkpoint == null || checkpoint.isBlank()) {
            throw new IllegalArgumentException("shard " + shardId + " has no checkpoint to write");
        }
        ownWrites.lock(shardId);
        try {
            writeCheckpoint(shardId, checkpoint);
        }
        finally {
            ownWrites.unlock(shardId);
        }
    }

    private void writeCheckpoint(String shardId, String checkpoint) {
        for (int attempt = 1; attempt <= OWN_RACE_ATTEMPTS; attempt++) {
            Observation heldObservation = heldLease(shardId);
            Lease held = heldObservation.lease();
            UpdateItemRequest request = LeaseConditions.checkpoint(heldObservation, checkpoint)
                    .toRequest(tableName, shardId, ReturnValue.NONE)
                    .overrideConfiguration(calls.requestOverrides()).build();
            long sentAt = observations.now();
            try {
                calls.execute(CheckpointOperation.CHECKPOINT, shardId, () -> client.updateItem(request));
                observations.observeOwnCheckpoint(shardId, checkpoint);
                listener.checkpointWritten(shardId, Duration.ofNanos(observations.now() - sentAt), true);
                log.debug("Checkpoint of shard {} at {}", shardId, checkpoint);
                return;
            }
            catch (ConditionalCheckFailedException lostRace) {
                Lease current = leaseOf(reader.read(shardId));
                if (current != null && current.isOwnedBy(held.owner()) && current.leaseCounter() == held.leaseCounter()
                        && checkpoint.equals(current.checkpoint())) {
                    listener.checkpointWritten(shardId, Duration.ofNanos(observations.now() - sentAt), true);
                    return; // a retry of our own write, which had landed
                }
                if (current == null || !current.isOwnedBy(held.owner())) {
                    listener.checkpointWritten(shardId, Duration.ofNanos(observations.now() - sentAt), false);
                    listener.leaseLost(shardId);
                    throw lost(shardId, held.owner(), current);
                }
                // Still ours: our own renewal moved the counter under this write, or an earlier checkpoint write
                // of ours, answered by a timeout, landed since. Go again with the row as it is now.
            }
        }
        throw new LeaseLostException(shardId, "checkpoint of shard " + shardId + " kept finding the row changed by earlier writes of this worker");
    }

    // --------------------------------------------------------------------------------------------------- release

    void release(String shardId) {
        ownWrites.lock(shardId);
        try {
            releaseOwn(shardId);
        }
        finally {
            ownWrites.unlock(shardId);
        }
    }

    private void releaseOwn(String shardId) {
        for (int attempt = 1; attempt <= OWN_RACE_ATTEMPTS; attempt++) {
            Observation seen = observations.get(shardId);
            boolean knownOwn = seen != null && seen.lease().isOwned() && ownNames.contains(seen.lease().owner());
            String holder = knownOwn ? seen.lease().owner() : workerId;
            ConditionalUpdate update = LeaseConditions.release(knownOwn ? seen : null, holder);
            // Releasing a lease as seen needs nothing back: the row is then the one seen, without owner or timeout.
            boolean noReadBack = knownOwn && seen.lease().leaseCounter() > 0;
            UpdateItemRequest request = update.toRequest(tableName, shardId, noReadBack ? ReturnValue.NONE : ReturnValue.ALL_NEW)
                    .overrideConfiguration(calls.requestOverrides()).build();
            long sentAt = observations.now();
            try {
                UpdateItemResponse response = calls.execute(CheckpointOperation.RELEASE_LEASE, shardId, () -> client.updateItem(request));
                if (noReadBack) {
                    Lease released = seen.lease();
                    observations.observeOwnWrite(new Lease(shardId, null, null, released.leaseCounter() + 1,
                            released.checkpoint(), released.parentShardId(), released.claimRequest()), null, sentAt);
                }
                else {
                    Map<String, AttributeValue> item = response.attributes();
                    observations.observeOwnWrite(LeaseSerializer.toLease(item), LeaseSerializer.timeoutText(item), sentAt);
                }
                listener.leaseReleased(shardId);
                log.debug("Released lease on shard {}", shardId);
                return;
            }
            catch (ConditionalCheckFailedException lostRace) {
                Lease current = leaseOf(reader.read(shardId));
                if (knownOwn && current != null && !current.isOwned()
                        && current.leaseCounter() == seen.lease().leaseCounter() + 1) {
                    listener.leaseReleased(shardId);
                    return; // a retry of our own release, which had landed
                }
                if (current == null || !current.isOwnedBy(holder)) {
                    throw lost(shardId, holder, current);
                }
            }
        }
        throw new LeaseLostException(shardId, "release of shard " + shardId + " kept finding the row changed by earlier writes of this worker");
    }

    // ----------------------------------------------------------------------------------------------------- claim

    void claim(ShardStatus shard, String claimant) {
        String shardId = shard.getId();
        String expectedOwner = shard.getLeaseOwner();
        Observation seen = observations.get(shardId);
        UpdateItemRequest request = LeaseConditions.claim(seen, claimant, expectedOwner, claimExpired(seen)).toRequest(tableName, shardId, ReturnValue.ALL_NEW)
                .overrideConfiguration(calls.requestOverrides()).build();
        try {
            UpdateItemResponse response = calls.execute(CheckpointOperation.CLAIM_SHARD, shardId, () -> client.updateItem(request));
            Lease claimed = LeaseSerializer.toLease(response.attributes());
            observations.observe(claimed, LeaseSerializer.timeoutText(response.attributes()));
            shard.update(claimed);
            log.debug("Claimed shard {} for {} from {}", shardId, claimant, expectedOwner);
        }
        catch (ConditionalCheckFailedException lostRace) {
            Lease current = leaseOf(reader.read(shardId));
            if (current != null) {
                shard.update(current);
            }
            if (current != null && claimant.equals(current.claimRequest()) && Objects.equals(expectedOwner, current.owner())) {
                return; // a retry of our own claim, which had landed
            }
            if (current != null && current.hasClaim()) {
                throw new ShardClaimedException(shardId, current.claimRequest());
            }
            throw new LeaseNotAcquiredException(shardId, "cannot claim shard " + shardId + ": expected owner "
                    + expectedOwner + " but " + (current == null ? "the row does not exist" : "it is " + current.owner()));
        }
    }

    // ------------------------------------------------------------------------------------------------- helpers

    /** The shards whose lease this worker took or renewed less than a lease duration ago, by its own clock. */
    Set<String> heldLeases() {
        long now = observations.now();
        Set<String> held = new TreeSet<>();
        for (Observation seen : observations.all()) {
            if (seen.lease().isOwned() && ownNames.contains(seen.lease().owner()) && !observations.isExpired(seen, now)) {
                held.add(seen.lease().shardId());
            }
        }
        return held;
    }

    /** The lease as this worker last took or renewed it; a worker that holds none cannot write. */
    private Observation heldLease(String shardId) {
        Observation seen = observations.get(shardId);
        if (seen == null || !seen.lease().isOwned() || !ownNames.contains(seen.lease().owner())) {
            throw new LeaseLostException(shardId, workerId + " does not hold the lease on shard " + shardId
                    + (seen == null ? " (no lease taken)" : "; its owner is " + seen.lease().owner()));
        }
        return seen;
    }

    private static Lease leaseOf(Observation observation) {
        return observation == null ? null : observation.lease();
    }

    /** Whether the claim seen on the row has stood untaken for longer than the claim timeout, by this worker's clock. */
    private boolean claimExpired(Observation seen) {
        return seen != null && seen.lease().hasClaim() && observations.isClaimExpired(seen, observations.now());
    }

    private static LeaseLostException lost(String shardId, String holder, Lease current) {
        return new LeaseLostException(shardId, holder + " no longer holds the lease on shard " + shardId + ": "
                + (current == null ? "the row was deleted" : current.isOwned()
                        ? "it is held by " + current.owner() + " (counter " + current.leaseCounter() + ")"
                        : "it was released"));
    }
}
