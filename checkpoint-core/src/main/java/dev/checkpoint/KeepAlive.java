package dev.checkpoint;

import java.time.Duration;
import java.util.Set;

/**
 * How a {@link LeaseStore} keeps its worker's leases alive, chosen once with the {@link RenewalMode}: by renewing each
 * lease ({@link ByRenewal}), or by one heartbeat of the worker ({@link ByHeartbeat}). The operations of one mode are
 * here, on the object of that mode, not on the store; a worker loop asks the store for it once and keeps its leases
 * alive the way it says.
 */
public sealed interface KeepAlive permits KeepAlive.ByRenewal, KeepAlive.ByHeartbeat {

    /** The renewal mode this object keeps leases alive in. */
    RenewalMode mode();

    /** Per-lease mode: each lease is renewed with a write of its own row. */
    non-sealed interface ByRenewal extends KeepAlive {

        @Override
        default RenewalMode mode() {
            return RenewalMode.LEASE;
        }

        /**
         * Renews a lease this worker holds, as it last took or renewed it, and nothing else. Gives up, sending nothing
         * more, once {@code timeLeft} has passed: a renewal that lands after the lease ran out is worth nothing.
         *
         * @throws LeaseNotAcquiredException when the row is no longer this worker's (released, taken over, deleted)
         * @throws ShardClaimedException when another worker's claim stands: check point and release, to hand it over
         * @throws ShardResetException when a reset stands: stop processing, and take the lease again to apply it
         * @throws CheckpointStoreException when DynamoDB did not answer within {@code timeLeft} and the retries
         * @return the shards a stopping worker handed over to this one since the last renewal of this row (see
         *         {@link LeaseStore#handOver}): take them at once
         */
        Set<String> renew(String shardId, Duration timeLeft);
    }

    /**
     * Worker mode: one heartbeat row per worker process keeps every lease it holds alive; a lease row names its owner's
     * process, and is written only when the lease changes hands and at checkpoints.
     */
    non-sealed interface ByHeartbeat extends KeepAlive {

        @Override
        default RenewalMode mode() {
            return RenewalMode.WORKER;
        }

        /**
         * Keeps every lease of this worker alive with one write of its heartbeat row, and returns what the write brings
         * back: claims on its shards, resets of them, and shards handed over to it. Gives up once {@code timeLeft} has
         * passed.
         *
         * @throws WorkerLostException when the heartbeat row is no longer this process's: every lease is lost
         * @throws CheckpointStoreException when DynamoDB did not answer within {@code timeLeft} and the retries
         */
        Heartbeat heartbeat(Duration timeLeft);

        /** Removes this worker's heartbeat row, once it has released its leases, so that the others count it gone at once. */
        void deregister();
    }
}
