package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.MonotonicClock;

/** When this worker last scanned the table and renewed a lease, and since when its renewals have been failing. */
final class ScanAndRenewalAges {

    private static final long NEVER = Long.MIN_VALUE;

    private final MonotonicClock monotonicClock;
    private final AtomicLong lastScan = new AtomicLong(NEVER);
    private final AtomicLong lastRenewal = new AtomicLong(NEVER);
    private final AtomicLong renewalsFailingSince = new AtomicLong(NEVER);

    ScanAndRenewalAges(MonotonicClock monotonicClock) {
        this.monotonicClock = monotonicClock;
    }

    void scanned() {
        lastScan.set(monotonicClock.nanoTime());
    }

    void renewalSucceeded() {
        lastRenewal.set(monotonicClock.nanoTime());
        renewalsFailingSince.set(NEVER);
    }

    void renewalFailed() {
        renewalsFailingSince.compareAndSet(NEVER, monotonicClock.nanoTime());
    }

    Duration sinceLastScan() {
        return age(lastScan.get());
    }

    Duration sinceLastRenewal() {
        return age(lastRenewal.get());
    }

    Duration renewalsFailingFor() {
        return age(renewalsFailingSince.get());
    }

    private Duration age(long since) {
        return since == NEVER ? null : Duration.ofNanos(monotonicClock.nanoTime() - since);
    }
}
