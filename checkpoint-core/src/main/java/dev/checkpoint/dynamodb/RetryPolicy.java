package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before each retry of a transient failure: exponential backoff with full jitter, capped,
 * and a bounded number of retries.
 */
final class RetryPolicy {

    static final Duration BASE_DELAY = Duration.ofMillis(50);
    static final Duration MAX_DELAY = Duration.ofSeconds(2);

    private final int maxRetries;
    private final DoubleSupplier random;

    RetryPolicy(int maxRetries, DoubleSupplier random) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, was " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.random = random;
    }

    RetryPolicy withMaxRetries(int retries) {
        return new RetryPolicy(retries, random);
    }

    int maxRetries() {
        return maxRetries;
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry): a uniformly random duration
     * between zero and {@code min(MAX_DELAY, BASE_DELAY * 2^(retry-1))}.
     */
    Duration delayBefore(int retry) {
        long ceilingNanos = BASE_DELAY.toNanos() << Math.min(retry - 1, 20);
        long capped = Math.min(ceilingNanos, MAX_DELAY.toNanos());
        return Duration.ofNanos((long) (capped * random.getAsDouble()));
    }
}
