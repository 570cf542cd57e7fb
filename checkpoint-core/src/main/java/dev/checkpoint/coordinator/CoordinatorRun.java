package dev.checkpoint.coordinator;

import org.jspecify.annotations.Nullable;

/**
 * One run of the coordinator, from {@link LeaseCoordinator#start()} to its stop, as its parts see it: the threads it
 * runs on, whether it is stopping, and how to ask for a sync at once. Made once, before the parts; begun at each start.
 */
final class CoordinatorRun {

    private volatile @Nullable CoordinatorThreads threads;
    private volatile boolean stopping;
    private volatile Runnable syncNow = () -> { };

    /** A start: the threads of this run, and what runs a sync at once on them. */
    void begin(CoordinatorThreads threads, Runnable syncNow) {
        this.threads = threads;
        this.syncNow = syncNow;
        this.stopping = false;
    }

    /** A stop has begun: no more takes, syncs or hand-overs to this worker. */
    void stop() {
        stopping = true;
    }

    boolean isStopping() {
        return stopping;
    }

    /** The threads of the run under way. */
    CoordinatorThreads threads() {
        CoordinatorThreads current = threads;
        if (current == null) {
            throw new IllegalStateException("the lease coordinator has not been started");
        }
        return current;
    }

    /** The threads of the run under way, or {@code null} before the first start. */
    @Nullable CoordinatorThreads threadsIfStarted() {
        return threads;
    }

    /** Asks for a sync at once (a finished shard's children may start), from any thread. */
    void syncNow() {
        if (!stopping) {
            syncNow.run();
        }
    }
}
