package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.coordinator.LeaseListener.EndReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a held lease ends: in good order through the listener and a release (a claim, a stop, an operator's hand-off)
 * or a take again (a reset), given back at once (the listener's {@link OwnedShard#release()}, or a start that failed),
 * or lost.
 */
final class LeaseEndings {

    private static final Logger log = LoggerFactory.getLogger(LeaseEndings.class);

    private final LeaseStore store;
    private final HeldLeases leases;
    private final LeaseListener listener;
    private final CoordinatorSettings settings;
    private final CoordinatorRun run;

    LeaseEndings(LeaseStore store, HeldLeases leases, LeaseListener listener, CoordinatorSettings settings,
            CoordinatorRun run) {
        this.store = store;
        this.leases = leases;
        this.listener = listener;
        this.settings = settings;
        this.run = run;
    }

    /** Tells the listener the lease is ending; completes when it returns, or after the shutdown grace period. */
    CompletableFuture<Void> end(HeldLease lease, EndReason reason) {
        if (!lease.ending.compareAndSet(null, reason)) {
            return CompletableFuture.completedFuture(null);
        }
        return run.threads().callbacks.submit(lease.shardId(), "leaseEnding", () -> listener.leaseEnding(lease.handle, reason))
                .exceptionally(failure -> null)
                .completeOnTimeout(null, settings.shutdownGrace().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ends the lease through the listener, then releases it: what a claim on it asks for. */
    void endAndRelease(HeldLease lease, EndReason reason) {
        end(lease, reason).whenCompleteAsync((done, failure) -> release(lease), run.threads().workers);
    }

    /**
     * Ends the lease through the listener for a reset ({@link EndReason#RESET}: stop, no checkpoint), then hands the
     * shard to {@code retake} without releasing it: the take of its own lease applies the reset, and the listener gains
     * the shard again from the reset position. A shard with parents is released instead, and taken again by a sync
     * once its parents are finished: a reset of the whole group puts them back too, and they come first.
     *
     * <p>Each reset is acted on once: the owner may learn of it from a renewal, a heartbeat's notice and a sync's read
     * of the row, in any order, and the take that applied it must not be ended again by a later word of it.
     *
     * @return whether the lease ends for this reset; {@code false} when this reset was acted on already, or the lease
     *         is ending anyway
     */
    boolean endForReset(HeldLease lease, String resetId, Consumer<Shard> retake) {
        if (lease.ending.get() != null || !leases.firstWordOfReset(lease.shardId(), resetId)) {
            return false;
        }
        end(lease, EndReason.RESET).whenCompleteAsync((done, failure) -> {
            if (!lease.shard.parentIds().isEmpty()) {
                release(lease);
            }
            else if (leases.retire(lease)) {
                retake.accept(lease.shard);
            }
        }, run.threads().workers);
        return true;
    }

    /** Releases the lease; {@code false} when it had ended already, or DynamoDB refused (it expires instead). */
    boolean release(HeldLease lease) {
        if (!leases.retire(lease)) {
            return false;
        }
        try {
            store.release(lease.shardId());
            log.debug("{} released shard {}", store.workerId(), lease.shardId());
            return true;
        }
        catch (CheckpointException failure) {
            log.info("Could not release shard {}; it will expire instead: {}", lease.shardId(), failure.getMessage());
            return false;
        }
    }

    /**
     * Hands a held lease over, as a claim does: {@code leaseEnding} with {@link EndReason#REQUESTED}, then the release;
     * this worker leaves the shard alone for one sync interval. {@code false} at once when the lease is not held, or
     * is ending already.
     */
    CompletableFuture<Boolean> handOff(String shardId, boolean stopping) {
        HeldLease lease = leases.get(shardId);
        if (lease == null || stopping || lease.ending.get() != null) {
            return CompletableFuture.completedFuture(false);
        }
        log.info("{} hands shard {} over on request", store.workerId(), shardId);
        return end(lease, EndReason.REQUESTED).thenApplyAsync(ended -> {
            leaveAlone(shardId);
            return release(lease);
        }, run.threads().workers);
    }

    /** Releases at once, without {@code leaseEnding}, and leaves the shard alone for one sync interval. */
    void giveBack(HeldLease lease) {
        leaveAlone(lease.shardId());
        if (release(lease)) {
            log.info("{} gave shard {} back", store.workerId(), lease.shardId());
        }
    }

    /** The lease is gone: the handle ends at once, and the listener hears {@code leaseLost}. */
    void lose(HeldLease lease, String reason) {
        if (!leases.retire(lease)) {
            return;
        }
        log.info("{} lost the lease on shard {}: {}", store.workerId(), lease.shardId(), reason);
        run.threads().callbacks.submit(lease.shardId(), "leaseLost", () -> listener.leaseLost(lease.handle));
    }

    private void leaveAlone(String shardId) {
        Duration syncInterval = settings.syncInterval();
        leases.leaveAlone(shardId, store.monotonicClock().nanoTime() + syncInterval.toNanos());
    }
}
