package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells a shard consumer to stop, and how: gracefully (finish the batch in flight and checkpoint it), or at once
 * (the lease is lost: write nothing more). Its waits end as soon as it is given.
 */
final class StopSignal {

    private final CountDownLatch given = new CountDownLatch(1);
    private volatile boolean abandon;

    void stopGracefully() {
        given.countDown();
    }

    void abandon() {
        abandon = true;
        given.countDown();
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
