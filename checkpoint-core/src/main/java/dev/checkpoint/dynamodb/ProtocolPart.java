package dev.checkpoint.dynamodb;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RenewalModeMismatchException;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import org.jspecify.annotations.Nullable;

/**
 * What every part of the lease protocol shares: the table, the calls, what this worker has seen
 * ({@link LeaseObservations}), its own names and leases, and the judgements made on them. Each part
 * ({@link TakeWrites}, {@link RenewalWrites}, {@link CheckpointWrites}, {@link ReleaseAndClaimWrites}) is one kind of
 * write; every write's condition is in {@link LeaseConditions}.
 */
abstract class ProtocolPart {

    static final Logger log = LoggerFactory.getLogger(LeaseProtocol.class);

    /**
     * Attempts of a write whose row an earlier write of this worker changed since it was seen: one that DynamoDB
     * applied after the client had given up on it. This worker's writes to one row never overlap ({@link OwnWrites}).
     */
    static final int OWN_RACE_ATTEMPTS = 3;

    final DynamoDbClient client;
    final DynamoDbCalls calls;
    final LeaseReader reader;
    final LeaseObservations observations;
    final String tableName;
    /** The layout of the table's keys: the Go library's, or shared by consumer groups. */
    final LeaseKeys keys;
    final String workerId;
    final Duration leaseDuration;
    final boolean leaseStealing;
    final Clock clock;
    final CheckpointListener listener;
    final ScanAndRenewalAges ages;
    /** One write of this worker at a time per row. */
    final OwnWrites ownWrites;
    /** Every owner name this worker has taken leases under: its worker id, and any other name given to getLease. */
    final Set<String> namesOfThisWorker;
    /** In a table shared by consumer groups, the stream this worker's group is bound to, once bound: written by takes. */
    final AtomicReference<@Nullable String> streamIdentity;
    /** In worker renewal mode, the heartbeats; {@code null} in per-lease mode. */
    final @Nullable WorkerHeartbeats heartbeats;

    ProtocolPart(DynamoDbClient client, DynamoDbCalls calls, LeaseReader reader, LeaseObservations observations,
            String tableName, LeaseKeys keys, String workerId, Duration leaseDuration, boolean leaseStealing, Clock clock,
            CheckpointListener listener, ScanAndRenewalAges ages, @Nullable WorkerHeartbeats heartbeats) {
        this.client = client;
        this.calls = calls;
        this.reader = reader;
        this.observations = observations;
        this.tableName = tableName;
        this.keys = keys;
        this.workerId = workerId;
        this.leaseDuration = leaseDuration;
        this.leaseStealing = leaseStealing;
        this.clock = clock;
        this.listener = listener;
        this.ages = ages;
        this.ownWrites = new OwnWrites(observations::now);
        this.namesOfThisWorker = ConcurrentHashMap.newKeySet();
        this.streamIdentity = new AtomicReference<>();
        this.heartbeats = heartbeats;
        this.namesOfThisWorker.add(workerId);
    }

    /** Another part of the same protocol, sharing everything. */
    ProtocolPart(ProtocolPart shared) {
        this.client = shared.client;
        this.calls = shared.calls;
        this.reader = shared.reader;
        this.observations = shared.observations;
        this.tableName = shared.tableName;
        this.keys = shared.keys;
        this.workerId = shared.workerId;
        this.leaseDuration = shared.leaseDuration;
        this.leaseStealing = shared.leaseStealing;
        this.clock = shared.clock;
        this.listener = shared.listener;
        this.ages = shared.ages;
        this.ownWrites = shared.ownWrites;
        this.namesOfThisWorker = shared.namesOfThisWorker;
        this.streamIdentity = shared.streamIdentity;
        this.heartbeats = shared.heartbeats;
    }

    /** Why {@code newOwner} may not take or renew the lease as seen, or {@code null} when it may. */
    @Nullable RuntimeException refusal(Observation seen, String newOwner) {
        Lease lease = seen.lease();
        long now = observations.now();
        if (heartbeats == null && seen.ownerEpoch() != null && lease.isOwned() && !lease.isOwnedBy(newOwner)) {
            return new RenewalModeMismatchException(tableName, RenewalMode.WORKER, RenewalMode.LEASE, "shard "
                    + lease.shardId() + " is held by " + lease.owner() + " in worker mode");
        }
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

    void succeeded(ShardStatus shard, Lease lease, @Nullable String timeoutText, long sentAt, @Nullable Lease before) {
        succeeded(shard, lease, timeoutText, sentAt, before, null);
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
            if (seen.lease().isOwned() && namesOfThisWorker.contains(seen.lease().owner()) && !observations.isExpired(seen, now)) {
                held.add(seen.lease().shardId());
            }
        }
        return held;
    }

    /** The lease as this worker last took or renewed it; a worker that holds none cannot write. */
    Observation heldLease(String shardId) {
        Observation seen = observations.get(shardId);
        if (seen == null || !seen.lease().isOwned() || !namesOfThisWorker.contains(seen.lease().owner())) {
            throw new LeaseLostException(shardId, workerId + " does not hold the lease on shard " + shardId
                    + (seen == null ? " (no lease taken)" : "; its owner is " + seen.lease().owner()));
        }
        if (heartbeats != null && !Objects.equals(seen.ownerEpoch(), heartbeats.epoch())) {
            throw new LeaseLostException(shardId, workerId + " does not hold the lease on shard " + shardId
                    + ": it is held by another process under the same worker id, or this one is no longer registered");
        }
        return seen;
    }

    /** Whether the claim seen on the row has stood untaken for longer than the claim timeout, by this worker's clock. */
    boolean claimExpired(Observation seen) {
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

    static Lease leaseOf(Observation observation) {
        return observation == null ? null : observation.lease();
    }

    static LeaseLostException lost(String shardId, String holder, Lease current) {
        return new LeaseLostException(shardId, holder + " no longer holds the lease on shard " + shardId + ": "
                + (current == null ? "the row was deleted" : current.isOwned()
                        ? "it is held by " + current.owner() + " (counter " + current.leaseCounter() + ")"
                        : "it was released"));
    }
}
