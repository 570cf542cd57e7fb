package dev.checkpoint;

/**
 * A source of monotonic time in nanoseconds, used to judge lease expiry by local observation. Only
 * differences between two readings of the same source mean anything. Injected so that tests can drive
 * time by hand.
 */
@FunctionalInterface
public interface MonotonicClock {

    /** The JVM's own monotonic clock. */
    MonotonicClock SYSTEM = System::nanoTime;

    /** The current reading, in nanoseconds. */
    long nanoTime();
}
