package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a shard consumer to stop, and how: gracefully (finish the batch in flight and checkpoint it), or at once
 * (the lease is lost: write nothing more). Its waits end as soon as it is given, and so do the waits of those who
 * asked to be told ({@link #whenGiven}).
 */
final class StopSignal {

    private final CountDownLatch given = new CountDownLatch(1);
    private final List<Runnable> whenGiven = new CopyOnWriteArrayList<>();
    private volatile boolean abandon;

    void stopGracefully() {
        give();
    }

    void abandon() {
        abandon = true;
        give();
    }

    private void give() {
        given.countDown();
        whenGiven.forEach(StopSignal::runQuietly);
    }

    /** Runs {@code action} when the signal is given, or now if it was: quick and idempotent (it may run twice). */
    void whenGiven(Runnable action) {
        whenGiven.add(action);
        if (isGiven()) {
            runQuietly(action);
        }
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        }
        catch (RuntimeException ignored) {
            // a waiter that cannot be woken still sees the signal on its next check
        }
    }

    boolean isGiven() {
        return given.getCount() == 0;
    }

    /** Whether the shard is given up without a checkpoint. */
    boolean isAbandon() {
        return abandon;
    }

    /** Waits for {@code duration}, or until the signal is given. @return {@code false} when it was given */
    boolean pause(Duration duration) {
        try {
            return !given.await(duration.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            abandon();
            return false;
        }
    }
}
