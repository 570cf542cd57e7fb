package dev.checkpoint.coordinator;

/**
 * Where renewals (and, in worker renewal mode, heartbeats) run: threads of their own, never shared with takes,
 * listeners, checkpoints or reads, so that no other work can make a lease run out: a pool that grows with the leases
 * held and runs the most urgent renewal first ({@link RenewerPool}), on platform or virtual threads. The manual clock's
 * tests run renewals inline instead.
 */
interface RenewalExecutor {

    /** Runs {@code renewal}, whose lease runs out at {@code deadlineNanos} on the coordinator's clock. */
    void execute(long deadlineNanos, Runnable renewal);

    /** Sizes the threads for the leases held now, at each renewal round. */
    default void fitTo(int leasesHeld) {
    }

    /** How busy the threads are, for status and metrics. */
    RenewalThreads status();

    /** Interrupts the renewals under way and drops those waiting. */
    void shutdownNow();
}
