package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** An exponential backoff with jitter: after the n-th failure in a row, a random wait from half the base to base × 2ⁿ⁻¹, capped. */
final class Backoff {

    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;
    private int failures;

    Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.base = base;
        this.max = max;
        this.random = random;
    }

    /** One more failure in a row: how long to wait before the next try. */
    Duration next() {
        failures++;
        long ceiling = Math.min(max.toNanos(), base.toNanos() << Math.min(failures - 1, 20));
        return Duration.ofNanos(Math.max(base.toNanos() / 2, (long) (random.getAsDouble() * ceiling)));
    }

    void reset() {
        failures = 0;
    }

    int failures() {
        return failures;
    }
}
