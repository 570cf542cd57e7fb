package dev.checkpoint.kinesis;

import dev.checkpoint.MonotonicClock;

/**
 * A shard reader's next wake-up: set for a time on the {@link Alarms}, and not set again while one set for no later
 * is still to come. A reader woken early asks for it again; one set for later than wanted is superseded by another.
 * Used by one reader's turns, one at a time.
 */
final class NextWakeUp {

    private final Alarms alarms;
    private final MonotonicClock clock;
    private boolean set;
    private long atNanos;

    NextWakeUp(Alarms alarms, MonotonicClock clock) {
        this.alarms = alarms;
        this.clock = clock;
    }

    /** Runs {@code wake} at {@code nanos} on the clock, unless it is to run by then already. */
    void at(long nanos, Runnable wake) {
        long now = clock.nanoTime();
        if (set && atNanos - now > 0 && atNanos - nanos <= 0) {
            return;
        }
        set = true;
        atNanos = nanos;
        alarms.after(nanos - now, wake);
    }
}
