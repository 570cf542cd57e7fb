package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.MonotonicClock;

/**
 * Loses each held lease at its local deadline, on a timer of its own, whatever the renewal rounds, the syncs and the
 * DynamoDB client are doing: the listener is told {@code leaseLost} before any other worker can take the shard.
 *
 * <p>A lease is valid until a lease duration after the sending of its last successful renewal (or take, or
 * heartbeat): no other worker judges it expired sooner, since each starts counting on its own clock only once it has
 * read that write. The local deadline comes earlier by a {@linkplain #margin(Duration) safety margin}, the time the
 * timer, the callback thread and the listener's {@code leaseLost} have to finish, and room for monotonic clocks that
 * run at slightly different rates on different machines.
 */
final class LeaseDeadlines {

    private final HeldLeases leases;
    private final LeaseEndings endings;
    private final CoordinatorRun run;
    private final MonotonicClock clock;
    private final long marginNanos;

    LeaseDeadlines(HeldLeases leases, LeaseEndings endings, CoordinatorRun run, MonotonicClock clock,
            Duration leaseDuration) {
        this.leases = leases;
        this.endings = endings;
        this.run = run;
        this.clock = clock;
        this.marginNanos = margin(leaseDuration).toNanos();
    }

    long marginNanos() {
        return marginNanos;
    }

    /** The safety margin between a lease's validity and its local deadline: a tenth of the lease duration. */
    static Duration margin(Duration leaseDuration) {
        return leaseDuration.dividedBy(10);
    }

    /** Watches a lease just taken: it is lost at its deadline, unless a renewal moved the deadline on by then. */
    void watch(HeldLease lease) {
        checkAt(lease, lease.deadlineNanos());
    }

    private void checkAt(HeldLease lease, long deadlineNanos) {
        try {
            run.threads().deadlines.schedule(() -> check(lease), Math.max(0, deadlineNanos - clock.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException stopped) {
            // the coordinator stopped: its leases are released or dropped
        }
    }

    private void check(HeldLease lease) {
        if (!leases.isCurrent(lease)) {
            return;
        }
        long deadline = lease.deadlineNanos();
        if (clock.nanoTime() - deadline >= 0) {
            endings.lose(lease, "not kept alive by its local deadline (a lease duration after the last renewal was "
                    + "sent, less a margin of " + Duration.ofNanos(marginNanos).toMillis() + " ms)");
        }
        else {
            checkAt(lease, deadline);
        }
    }
}
