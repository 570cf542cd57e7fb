package dev.checkpoint.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for a scenario's condition, on the wall clock: the scenarios run real workers on real threads. */
final class Waits {

    private Waits() {
    }

    /**
     * Waits until {@code condition} holds, looking every {@code poll}.
     *
     * @return how long it took
     * @throws IllegalStateException naming {@code what} when it did not hold within {@code limit}
     */
    static Duration until(String what, Duration limit, Duration poll, BooleanSupplier condition)
            throws InterruptedException {
        long start = System.nanoTime();
        if (!within(limit, poll, condition)) {
            throw new IllegalStateException(what + " did not get there within " + limit);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Waits until {@code condition} holds, looking every {@code poll}, for at most {@code limit}.
     *
     * @return whether it held
     */
    static boolean within(Duration limit, Duration poll, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - start > limit.toNanos()) {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(poll.toNanos());
        }
        return true;
    }
}
