package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.checkpoint.Lease;
import dev.checkpoint.MonotonicClock;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What this worker has seen of each lease, and since when by its own monotonic clock.
 *
 * <p>This is how expiry is judged without any agreement between clocks: a lease is expired when this worker
 * has seen the same version of it (owner, {@code LeaseCounter} and {@code LeaseTimeout}) for longer than the
 * lease duration. A live owner renews well within that time, which changes the version. The same goes for a
 * claim: it expires when the same claim on the same lease version has been seen for longer than the claim
 * timeout. The first sight of a lease starts its clock, so a worker that has just started waits one whole
 * lease duration before it takes over a lease whose owner went silent.
 *
 * <p>Kept per shard id, so that callers need not keep their {@code ShardStatus} objects.
 */
final class LeaseObservations {

    /**
     * One lease as last seen.
     *
     * @param lease the row
     * @param timeoutText {@code LeaseTimeout} exactly as stored: the version of rows the Go library wrote
     * @param sinceNanos when this version of the lease was first seen, or when this worker sent the write
     *        that made it
     * @param claimSinceNanos when its claim was first seen
     * @param ownerBlank whether the row had {@code AssignedTo = ""}, which the Go library leaves, rather than none: a
     *        take's or claim's "no owner" condition is then {@code = ""}, one clause either way
     * @param ownerEpoch in worker renewal mode, the epoch of the owner's process ({@code OwnerEpoch}); else {@code null}
     */
    record Observation(Lease lease, @Nullable String timeoutText, long sinceNanos, long claimSinceNanos,
            boolean ownerBlank, @Nullable String ownerEpoch) {

        Observation(Lease lease, @Nullable String timeoutText, long sinceNanos, long claimSinceNanos, boolean ownerBlank) {
            this(lease, timeoutText, sinceNanos, claimSinceNanos, ownerBlank, null);
        }

        Observation(Lease lease, @Nullable String timeoutText, long sinceNanos, long claimSinceNanos) {
            this(lease, timeoutText, sinceNanos, claimSinceNanos, false);
        }
    }

    /** In worker renewal mode, whether the owner of a lease with an epoch is gone: judged on its heartbeat. */
    interface OwnerLiveness {

        boolean isExpired(Observation lease, long nowNanos);

        /**
         * Whether {@code workerId}, as a claimant, is surely gone: judged dead by somebody, or its heartbeat seen
         * standing still for longer than a lease duration. A worker never seen is not judged gone.
         */
        boolean isSurelyGone(String workerId, long nowNanos);
    }

    private final ConcurrentMap<String, Observation> byShard = new ConcurrentHashMap<>();
    private final MonotonicClock monotonicClock;
    private final long leaseDurationNanos;
    private final long claimTimeoutNanos;
    private volatile @Nullable OwnerLiveness ownerLiveness;

    LeaseObservations(MonotonicClock monotonicClock, Duration leaseDuration, Duration claimTimeout) {
        this.monotonicClock = monotonicClock;
        this.leaseDurationNanos = leaseDuration.toNanos();
        this.claimTimeoutNanos = claimTimeout.toNanos();
    }

    /** In worker renewal mode: leases with an owner epoch are judged on their owner's heartbeat, not their own version. */
    void judgeOwnersBy(OwnerLiveness liveness) {
        this.ownerLiveness = liveness;
    }

    long now() {
        return monotonicClock.nanoTime();
    }

    /**
     * Records a row just read, unless a newer version is known already: a scan that began before a write of this
     * worker can answer after it, and must not put back the row as it was (which, for a take, would say "no owner"
     * and make this worker's next renewal or checkpoint believe the lease lost). The counter only grows, so a row
     * with a lower one is older; a row without a counter (the Go library's, or a new one) is always recorded.
     * {@code ownerBlank}: whether the row's {@code AssignedTo} was there but empty.
     */
    Observation observe(Lease lease, @Nullable String timeoutText, boolean ownerBlank) {
        return observe(lease, timeoutText, ownerBlank, null);
    }

    /** A row just read, with its item: see {@link #observe(Lease, String, boolean)}. */
    Observation observe(Map<String, AttributeValue> item) {
        return observe(LeaseSerializer.toLease(item), item);
    }

    /** A row just read and parsed, {@code lease}, with its item. */
    Observation observe(Lease lease, Map<String, AttributeValue> item) {
        return observe(lease, LeaseSerializer.timeoutText(item), LeaseSerializer.ownerBlank(item),
                LeaseSerializer.ownerEpoch(item));
    }

    private Observation observe(Lease lease, @Nullable String timeoutText, boolean ownerBlank, @Nullable String ownerEpoch) {
        long now = now();
        return byShard.compute(lease.shardId(), (shardId, previous) -> {
            if (previous != null && lease.leaseCounter() > 0 && previous.lease().leaseCounter() > lease.leaseCounter()) {
                return previous;
            }
            boolean sameVersion = previous != null && sameVersion(previous, lease, timeoutText);
            return new Observation(lease, timeoutText, sameVersion ? previous.sinceNanos() : now,
                    claimSince(previous, lease, now), ownerBlank, ownerEpoch);
        });
    }

    /**
     * Records a row this worker has just written. Its lease period is counted from {@code sentAtNanos}, the
     * moment the write was sent, which is never later than the moment it took effect.
     */
    Observation observeOwnWrite(Lease lease, @Nullable String timeoutText, long sentAtNanos) {
        return observeOwnWrite(lease, timeoutText, sentAtNanos, null);
    }

    /** A row this worker has just written, in worker renewal mode with the owner's epoch. */
    Observation observeOwnWrite(Lease lease, @Nullable String timeoutText, long sentAtNanos, @Nullable String ownerEpoch) {
        return byShard.compute(lease.shardId(), (shardId, previous) -> new Observation(lease, timeoutText,
                sentAtNanos, claimSince(previous, lease, sentAtNanos), false, ownerEpoch));
    }

    /**
     * Records this worker's checkpoint write: the row as seen, with the new checkpoint. Its lease period is
     * unchanged, since a checkpoint does not renew.
     */
    void observeOwnCheckpoint(String shardId, String checkpoint, @Nullable Long subSequenceNumber) {
        byShard.computeIfPresent(shardId, (id, previous) -> {
            Lease seen = previous.lease();
            Lease written = new Lease(seen.shardId(), seen.owner(), seen.leaseTimeout(), seen.leaseCounter(), checkpoint,
                    seen.parentShardId(), seen.claimRequest(), subSequenceNumber, null, null);
            return new Observation(written, previous.timeoutText(), previous.sinceNanos(), previous.claimSinceNanos(),
                    previous.ownerBlank(), previous.ownerEpoch());
        });
    }

    /** The lease as last seen, or {@code null}. */
    @Nullable Observation get(String shardId) {
        return byShard.get(shardId);
    }

    /** Every lease seen and not forgotten. */
    Collection<Observation> all() {
        return byShard.values();
    }

    /** Forgets every lease but those of {@code shardIds}: the rows a full scan found. */
    void retainOnly(java.util.Set<String> shardIds) {
        byShard.keySet().retainAll(shardIds);
    }

    /**
     * Forgets the rows not among {@code seen} whose observation is no newer than {@code sinceNanos}: at the end of a
     * rotating read that began then, those rows were not there to be read (deleted). A row this worker wrote or read
     * since is kept, whether or not the read went past it.
     */
    void forgetUnseenSince(java.util.Set<String> seen, long sinceNanos) {
        byShard.entrySet().removeIf(entry -> !seen.contains(entry.getKey())
                && entry.getValue().sinceNanos() - sinceNanos <= 0);
    }

    void forget(String shardId) {
        byShard.remove(shardId);
    }

    /**
     * Whether the lease has an owner that has not changed it for longer than the lease duration; in worker renewal
     * mode, a lease with an owner epoch: whether its owner's heartbeat says the owner is gone.
     */
    boolean isExpired(Observation observation, long nowNanos) {
        if (!observation.lease().isOwned()) {
            return false;
        }
        OwnerLiveness liveness = ownerLiveness;
        if (liveness != null && observation.ownerEpoch() != null) {
            return liveness.isExpired(observation, nowNanos);
        }
        return nowNanos - observation.sinceNanos() > leaseDurationNanos;
    }

    /**
     * Whether the lease carries a claim that anybody may pass now: one that has stood unchanged for longer than the
     * claim timeout, or one on a free lease that has stood free for longer than a lease duration. A live claimant takes
     * a lease released to it within a renew interval (it tries its claims at every renewal round), so a claim on a free
     * lease that old is a dead claimant's: the shard must not wait out the whole claim timeout unread. In worker renewal
     * mode a claim by a worker whose heartbeat is judged dead, or stood still for a lease, is passed at once.
     */
    boolean isClaimExpired(Observation observation, long nowNanos) {
        Lease lease = observation.lease();
        OwnerLiveness liveness = ownerLiveness;
        return lease.hasClaim() && (nowNanos - observation.claimSinceNanos() > claimTimeoutNanos
                || !lease.isOwned() && nowNanos - observation.sinceNanos() > leaseDurationNanos
                || liveness != null && liveness.isSurelyGone(lease.claimRequest(), nowNanos));
    }

    private static boolean sameVersion(Observation before, Lease after, String timeoutText) {
        return before.lease().leaseCounter() == after.leaseCounter()
                && Objects.equals(before.lease().owner(), after.owner())
                && Objects.equals(before.timeoutText(), timeoutText);
    }

    private static long claimSince(Observation previous, Lease lease, long now) {
        boolean sameClaim = previous != null && previous.lease().leaseCounter() == lease.leaseCounter()
                && Objects.equals(previous.lease().claimRequest(), lease.claimRequest());
        return sameClaim ? previous.claimSinceNanos() : now;
    }
}
