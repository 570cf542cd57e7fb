package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This worker's side of the protocol, which every write shares: what it has seen ({@link LeaseObservations}), the
 * names it holds leases under, one write of its own at a time per row ({@link OwnWrites}), and the judgements made on
 * them, the same in both renewal modes; what differs by mode is {@link Ownership}'s.
 */
final class OwnLeases {

    static final Logger log = LoggerFactory.getLogger(LeaseProtocol.class);

    /**
     * Attempts of a write whose row an earlier write of this worker changed since it was seen: one that DynamoDB
     * applied after the client had given up on it. This worker's writes to one row never overlap ({@link OwnWrites}).
     */
    static final int OWN_RACE_ATTEMPTS = 3;

    final LeaseObservations observations;
    final String workerId;
    final Duration leaseDuration;
    final boolean leaseStealing;
    final CheckpointListener listener;
    final ScanAndRenewalAges ages;
    /** One write of this worker at a time per row. */
    final OwnWrites ownWrites;
    /** Every owner name this worker has taken leases under: its worker id, and any other name given to getLease. */
    private final Set<String> namesOfThisWorker = ConcurrentHashMap.newKeySet();
    /** In a table shared by consumer groups, the stream this worker's group is bound to, once bound: written by takes. */
    private final AtomicReference<@Nullable String> streamIdentity = new AtomicReference<>();

    OwnLeases(LeaseObservations observations, String workerId, Duration leaseDuration, boolean leaseStealing,
            CheckpointListener listener, ScanAndRenewalAges ages) {
        this.observations = observations;
        this.workerId = workerId;
        this.leaseDuration = leaseDuration;
        this.leaseStealing = leaseStealing;
        this.listener = listener;
        this.ages = ages;
        this.ownWrites = new OwnWrites(observations::now);
        this.namesOfThisWorker.add(workerId);
    }

    /** Takes by this worker under {@code name} (getLease may be given another name than the worker id). */
    void takesUnder(String name) {
        namesOfThisWorker.add(name);
    }

    /** Whether the lease seen names this worker, under any of its names. */
    boolean namesThisWorker(@Nullable Observation seen) {
        return seen != null && seen.lease().isOwned() && namesOfThisWorker.contains(seen.lease().owner());
    }

    void boundTo(String identity) {
        streamIdentity.set(identity);
    }

    @Nullable String streamIdentity() {
        return streamIdentity.get();
    }

    /**
     * Why {@code newOwner} may not take or renew the lease as seen, in either mode, or {@code null} when it may: another
     * worker's claim stands, or another worker holds it and it has not expired.
     */
    @Nullable RuntimeException refusal(Observation seen, String newOwner) {
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

    /** A take or renewal of ours landed; {@code ownerEpoch}: in worker renewal mode, the one written. */
    void succeeded(ShardStatus shard, Lease lease, @Nullable String timeoutText, long sentAt, @Nullable Lease before,
            @Nullable String ownerEpoch) {
        observations.observeOwnWrite(lease, timeoutText, sentAt, ownerEpoch);
        shard.update(lease);
        ages.renewalSucceeded();
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

    /** The shards whose lease this worker took or renewed less than a lease duration ago, by its own clock. */
    Set<String> heldLeases() {
        long now = observations.now();
        Set<String> held = new TreeSet<>();
        for (Observation seen : observations.all()) {
            if (namesThisWorker(seen) && !observations.isExpired(seen, now)) {
                held.add(seen.lease().shardId());
            }
        }
        return held;
    }

    /** The lease as this worker last took or renewed it; a worker that holds none cannot write. */
    Observation heldLease(String shardId) {
        Observation seen = observations.get(shardId);
        if (!namesThisWorker(seen)) {
            throw new LeaseLostException(shardId, workerId + " does not hold the lease on shard " + shardId
                    + (seen == null ? " (no lease taken)" : "; its owner is " + seen.lease().owner()));
        }
        return seen;
    }

    /** Whether the claim seen on the row has stood untaken for longer than the claim timeout, by this worker's clock. */
    boolean claimExpired(@Nullable Observation seen) {
        return seen != null && seen.lease().hasClaim() && observations.isClaimExpired(seen, observations.now());
    }

    /**
     * The row as re-read, when its owner's process is not the one this worker's view names (worker renewal mode): shown
     * with the owner's name marked, so that it is never taken for this process's own.
     */
    static @Nullable Lease leaseOfAnotherProcess(@Nullable Observation reread) {
        if (reread == null) {
            return null;
        }
        Lease lease = reread.lease();
        if (lease.owner() == null) {
            return lease;
        }
        return new Lease(lease.shardId(), lease.owner() + " (process " + reread.ownerEpoch() + ")", lease.leaseTimeout(),
                lease.leaseCounter(), lease.checkpoint(), lease.parentShardId(), lease.claimRequest(),
                lease.checkpointSubSequenceNumber(), lease.pendingReset(), lease.startingPosition());
    }

    static @Nullable Lease leaseOf(@Nullable Observation observation) {
        return observation == null ? null : observation.lease();
    }

    static LeaseLostException lost(String shardId, String holder, @Nullable Lease current) {
        return new LeaseLostException(shardId, holder + " no longer holds the lease on shard " + shardId + ": "
                + (current == null ? "the row was deleted" : current.isOwned()
                        ? "it is held by " + current.owner() + " (counter " + current.leaseCounter() + ")"
                        : "it was released"));
    }
}
