package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Lease;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RenewalModeMismatchException;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before the first worker in worker renewal mode marks a table, makes sure that no per-lease worker (of this library or
 * of the Go library) renews leases in it, so that a mixed table is refused before anything is written, as a per-lease
 * worker is refused on a table in worker mode.
 *
 * <p>A lease owned without an owner epoch is a per-lease worker's. Each is watched by local observation, as expiry is
 * judged: a counter that moves, or a lease newly taken per lease, is a live per-lease worker, and the start is refused;
 * leases that stood still for a lease duration belong to workers gone (a table moving to worker mode after a crash),
 * and the start goes on. Only a table with such leases waits, at most a lease duration; the others cost one scan.
 */
final class PerLeaseWorkersCheck {

    private static final Logger log = LoggerFactory.getLogger(PerLeaseWorkersCheck.class);
    /** How many times a lease duration the leases are read again while they are watched. */
    private static final int READS_PER_LEASE = 5;

    private final LeaseReader reader;
    private final LeaseObservations observations;
    private final String tableName;
    private final Duration leaseDuration;
    private final Sleeper sleeper;

    PerLeaseWorkersCheck(LeaseReader reader, LeaseObservations observations, String tableName, Duration leaseDuration,
            Sleeper sleeper) {
        this.reader = reader;
        this.observations = observations;
        this.tableName = tableName;
        this.leaseDuration = leaseDuration;
        this.sleeper = sleeper;
    }

    /**
     * Returns once no lease of the table is renewed by a per-lease worker.
     *
     * @throws RenewalModeMismatchException naming a lease a per-lease worker renewed while it was watched
     */
    void refuseWhileRenewed() {
        Map<String, Lease> watched = leasesOfPerLeaseWorkers();
        if (watched.isEmpty()) {
            return;
        }
        log.info("Lease table {} has {} leases held by per-lease workers; watching them for up to {} before it moves to "
                + "worker renewal mode", tableName, watched.size(), leaseDuration);
        long since = observations.now();
        while (!watched.isEmpty() && observations.now() - since <= leaseDuration.toNanos()) {   // expired: past it
            pause();
            Map<String, Lease> now = leasesOfPerLeaseWorkers();
            for (Lease after : now.values()) {
                Lease before = watched.get(after.shardId());
                if (before == null || after.leaseCounter() != before.leaseCounter()) {
                    throw new RenewalModeMismatchException(tableName, RenewalMode.LEASE, RenewalMode.WORKER,
                            "worker " + after.owner() + " renewed or took the lease on shard " + after.shardId()
                                    + " per lease while this worker watched");
                }
            }
            watched = now;   // a lease released or deleted is settled
        }
        log.info("Lease table {}: no per-lease worker renewed its leases for a lease duration; they are free to take",
                tableName);
    }

    /** The leases owned without an owner epoch, as a scan reads them now. */
    private Map<String, Lease> leasesOfPerLeaseWorkers() {
        Map<String, Lease> owned = new HashMap<>();
        for (Lease lease : reader.scan()) {
            Observation seen = observations.get(lease.shardId());
            if (lease.isOwned() && (seen == null || seen.ownerEpoch() == null)) {
                owned.put(lease.shardId(), lease);
            }
        }
        return owned;
    }

    private void pause() {
        try {
            sleeper.sleep(leaseDuration.dividedBy(READS_PER_LEASE));
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CheckpointStoreException(null, "interrupted while watching the per-lease workers' leases of table "
                    + tableName, interrupted);
        }
    }
}
