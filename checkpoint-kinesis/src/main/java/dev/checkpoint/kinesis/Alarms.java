package dev.checkpoint.kinesis;

/**
 * Runs a task after a delay, holding no thread meanwhile: how a shard reader waits for its next read (the pacing
 * between calls, a backoff, the idle interval) without keeping a reader thread.
 */
@FunctionalInterface
interface Alarms {

    /** Runs {@code task} once, {@code delayNanos} from now (at once when it is not positive), on another thread. */
    void after(long delayNanos, Runnable task);
}
