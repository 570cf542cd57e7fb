package dev.checkpoint.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.checkpoint.KeepAlive;
import dev.checkpoint.Lease;
import dev.checkpoint.PendingReset;
import org.jspecify.annotations.Nullable;

/**
 * Per-lease mode in memory: each row carries a timeout and is renewed by its owner ({@link InMemoryLeaseStore#renew});
 * a lease has run out when its row has not changed for a lease duration, as this worker saw it.
 */
final class InMemoryRenewals implements InMemoryOwnership {

    private final InMemoryLeaseTable table;
    private final long leaseNanos;
    private final Duration leaseDuration;
    private final Clock wallClock;
    private final KeepAlive.ByRenewal renewal;

    InMemoryRenewals(InMemoryLeaseTable table, Duration leaseDuration, Clock wallClock, KeepAlive.ByRenewal renewal) {
        this.table = table;
        this.leaseDuration = leaseDuration;
        this.leaseNanos = leaseDuration.toNanos();
        this.wallClock = wallClock;
        this.renewal = renewal;
    }

    @Override
    public KeepAlive keepAlive() {
        return renewal;
    }

    @Override
    public void register() {
    }

    @Override
    public boolean isExpired(SeenRow seen, long nowNanos) {
        return seen.lease().isOwned() && nowNanos - seen.sinceNanos() > leaseNanos;
    }

    @Override
    public Duration unchangedFor(SeenRow seen, long nowNanos) {
        return Duration.ofNanos(nowNanos - seen.sinceNanos());
    }

    @Override
    public void beforeTake(String shardId, @Nullable SeenRow seen) {
    }

    @Override
    public Instant takeTimeout() {
        return wallClock.instant().plus(leaseDuration);
    }

    @Override
    public @Nullable String takeEpoch() {
        return null;
    }

    @Override
    public void taken(String shardId) {
    }

    @Override
    public void checkRelease(String shardId, @Nullable SeenRow seen, boolean knownOwn) {
    }

    @Override
    public @Nullable String handOffTo(String shardId) {
        return null;   // the claim is on the row already
    }

    @Override
    public boolean claimFromOwner(@Nullable SeenRow seen, String expectedOwner, String claimant) {
        return false;
    }

    @Override
    public void withdrawClaimFromOwner(String shardId, String owner, String claimant) {
    }

    /** On the successor's lease row, which its next renewal of it brings back. */
    @Override
    public void handOver(String shardId, String successor, String successorsLease) {
        table.noteHandOver(successorsLease, successor, shardId);
    }

    /** The owner's renewals are refused from now on: that is how it learns. */
    @Override
    public void resetWritten(Lease row, PendingReset reset) {
    }

    @Override
    public void scanned() {
    }
}
