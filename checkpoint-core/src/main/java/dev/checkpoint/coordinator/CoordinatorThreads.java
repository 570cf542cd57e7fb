package dev.checkpoint.coordinator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import dev.checkpoint.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;

/**
 * The coordinator's threads, made at each start: one for syncs, one that schedules renewals, one that loses each lease
 * at its local deadline (so that nothing else can delay it), the renewers (so that renewals never wait behind
 * anything else: {@link RenewalExecutor}), a pool for takes, claims and releases, and the listener's. Tests give a
 * coordinator executors driven by a manual clock instead ({@link Factory}).
 */
final class CoordinatorThreads {

    /** Makes a worker's executors at each start. */
    @FunctionalInterface
    interface Factory {

        CoordinatorThreads create(String workerId, MonotonicClock clock);
    }

    private static final Logger log = LoggerFactory.getLogger(CoordinatorThreads.class);
    /** Threads for takes, claims and releases. */
    private static final int PARALLELISM = 8;

    final ScheduledExecutorService sync;
    final ScheduledExecutorService renewalRounds;
    final ScheduledExecutorService deadlines;
    final RenewalExecutor renewers;
    final ExecutorService workers;
    final ShardCallbacks callbacks;
    private final MonotonicClock clock;
    private final String workerId;

    CoordinatorThreads(String workerId, MonotonicClock clock, ScheduledExecutorService sync,
            ScheduledExecutorService renewalRounds, ScheduledExecutorService deadlines, RenewalExecutor renewers,
            ExecutorService workers, ExecutorService listenerThreads) {
        this.workerId = workerId;
        this.clock = clock;
        this.sync = sync;
        this.renewalRounds = renewalRounds;
        this.deadlines = deadlines;
        this.renewers = renewers;
        this.workers = workers;
        this.callbacks = new ShardCallbacks(listenerThreads);
    }

    /**
     * Daemon threads of their own, named after the worker; renewals on a pool of at most {@code maxRenewalThreads}
     * threads, and the listener's callbacks, on {@code virtualThreads} when given, else on platform threads.
     */
    static CoordinatorThreads onNewThreads(String workerId, MonotonicClock clock, int maxRenewalThreads,
            @Nullable ThreadFactory virtualThreads) {
        RenewalExecutor renewers = new RenewerPool(workerId, maxRenewalThreads, virtualThreads, clock);
        return new CoordinatorThreads(workerId, clock,
                Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("checkpoint-sync-" + workerId)),
                Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("checkpoint-renew-" + workerId)),
                Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("checkpoint-deadline-" + workerId)),
                renewers,
                Executors.newFixedThreadPool(PARALLELISM, new DaemonThreadFactory("checkpoint-lease-" + workerId)),
                virtualThreads != null ? new ThreadPerTask(virtualThreads)
                        : Executors.newCachedThreadPool(new DaemonThreadFactory("checkpoint-listener-" + workerId)));
    }

    /**
     * Waits for {@code future}, but only while {@code stopping} is false: a stop shuts the pools down, and a task it
     * drops never completes its future. {@code null} when stopping came first, or the task failed.
     */
    static <T> @Nullable T awaitUnless(BooleanSupplier stopping, CompletableFuture<T> future) {
        while (!stopping.getAsBoolean()) {
            try {
                return future.get(50, TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException notYet) {
                // look at stopping again
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return null;
            }
            catch (ExecutionException failed) {
                log.debug("A task of the coordinator failed: {}", failed.getCause().toString());
                return null;
            }
        }
        return null;
    }

    /** Waits for {@code all} until {@code deadlineNanos}, then goes on, saying so. */
    void awaitUntil(CompletableFuture<Void> all, long deadlineNanos) {
        try {
            all.get(Math.max(0, deadlineNanos - clock.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (TimeoutException late) {
            log.warn("Lease coordinator {}: the grace period ran out before every listener finished", workerId);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        catch (ExecutionException unexpected) {
            log.warn("Lease coordinator {}: stopping failed", workerId, unexpected.getCause());
        }
    }

    /** On stop: lets the sync thread end and the takes under way finish, so that what they took is released too. */
    void awaitSyncAndTakes(HeldLeases leases, long deadlineNanos) {
        boolean ended = awaitSyncEnd(deadlineNanos);
        try {
            ended &= leases.awaitNoTakes(deadlineNanos);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            log.warn("Lease coordinator {}: the sync did not end in time; stopping anyway", workerId);
        }
    }

    /** Lets the sync thread end, within {@code deadlineNanos}; {@code false} when it did not. */
    private boolean awaitSyncEnd(long deadlineNanos) {
        try {
            return sync.awaitTermination(Math.max(0, deadlineNanos - clock.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void shutdownNow() {
        sync.shutdownNow();
        renewalRounds.shutdownNow();
        deadlines.shutdownNow();
        renewers.shutdownNow();
        workers.shutdownNow();
        callbacks.shutdown();
    }
}
