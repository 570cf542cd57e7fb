package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.KeepAlive;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.ShardClaimedException;
import dev.checkpoint.ShardResetException;
import dev.checkpoint.coordinator.LeaseListener.EndReason;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews every held lease each renew interval, in parallel, on threads of their own. A renewal is only a renewal,
 * and stops at the lease's local deadline; a lease not renewed by then is lost ({@link LeaseDeadlines}), before any
 * other worker can take it. A claim on a lease hands it over; a reset on it ends it and takes it again, which applies
 * the reset; shards a stopping worker handed over to this one, as the renewal's answer says, are taken at once. Each
 * round also tries the pending claims again.
 */
final class Renewals extends KeepAliveRounds {

    private static final Logger log = LoggerFactory.getLogger(Renewals.class);

    private final KeepAlive.ByRenewal renewal;

    Renewals(LeaseStore store, KeepAlive.ByRenewal renewal, HeldLeases leases, LeaseEndings endings, CoordinatorRun run,
            Runnable pollClaims, Consumer<Shard> retake, Function<String, @Nullable Shard> listedShard) {
        super(store, leases, endings, run, pollClaims, retake, listedShard);
        this.renewal = renewal;
    }

    /** Registration in per-lease mode: a check that the table is not in worker mode. */
    @Override
    void register() {
        store.register();
    }

    /** Renews it on a renewer thread: one renewal at a time per lease, none of a lease ending for a claim. */
    @Override
    void keepAlive(HeldLease lease) {
        if (lease.ending.get() != EndReason.CLAIMED && lease.renewing.compareAndSet(false, true)) {
            run.threads().renewers.execute(lease.deadlineNanos(), () -> renew(lease));
        }
    }

    private void renew(HeldLease lease) {
        try {
            long sent = clock.nanoTime();
            long left = lease.deadlineNanos() - sent;
            if (left <= 0) {
                endings.lose(lease, "not renewed by its local deadline");
                return;
            }
            Set<String> handedOver = renewal.renew(lease.shardId(), Duration.ofNanos(left));
            if (leases.isCurrent(lease)) {
                lease.validUntilNanos = sent + leaseNanos;
            }
            takeHandedOver(handedOver);
        }
        catch (ShardClaimedException claimed) {
            log.info("Shard {} was claimed by {}; handing it over", lease.shardId(), claimed.getClaimant());
            endings.endAndRelease(lease, EndReason.CLAIMED);
        }
        catch (ShardResetException reset) {
            if (endings.endForReset(lease, reset.getReset().id(), retake)) {
                log.info("Shard {} is reset to {}: stopping it, to start again from there", lease.shardId(),
                        reset.getReset().to());
            }
        }
        catch (LeaseNotAcquiredException | LeaseLostException taken) {
            endings.lose(lease, taken.getMessage());
        }
        catch (CheckpointException failure) {
            if (clock.nanoTime() - lease.deadlineNanos() >= 0) {
                endings.lose(lease, "not renewed by its local deadline: " + failure.getMessage());
            }
            else {
                log.debug("Renewal of shard {} failed; it stays held until its lease runs out: {}", lease.shardId(),
                        failure.getMessage());
            }
        }
        finally {
            lease.renewing.set(false);
        }
    }
}
