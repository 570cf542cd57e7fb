package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.MonotonicClock;

/** A monotonic clock that moves only when a test advances it. */
final class ManualMonotonicClock implements MonotonicClock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
