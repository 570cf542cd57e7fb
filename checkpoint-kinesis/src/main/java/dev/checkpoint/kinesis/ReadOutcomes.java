package dev.checkpoint.kinesis;

import java.time.Duration;

import dev.checkpoint.MonotonicClock;
import org.jspecify.annotations.Nullable;

/**
 * How a shard's reads (or the stream's listing) have gone, as health and metrics see them: how far behind the last
 * read that worked was, and since when they have failed, with the last error. While they fail, the lag grows with the
 * time since the last read that worked: records are waiting unread, whatever Kinesis said then.
 */
final class ReadOutcomes {

    private final MonotonicClock clock;
    /** When the last read worked; before any, when the reads began. */
    private volatile long lastSuccessNanos;
    private volatile @Nullable Long millisBehindAtSuccess;
    private volatile @Nullable String lastError;
    private volatile long failingSinceNanos;

    ReadOutcomes(MonotonicClock clock) {
        this.clock = clock;
        this.lastSuccessNanos = clock.nanoTime();
    }

    /** A read that worked, {@code millisBehindLatest} behind the tip when Kinesis said. */
    void succeeded(@Nullable Long millisBehindLatest) {
        millisBehindAtSuccess = millisBehindLatest;
        lastSuccessNanos = clock.nanoTime();
        lastError = null;
    }

    /** A read that failed: throttled, refused or unanswered. */
    void failed(String error) {
        if (lastError == null) {
            failingSinceNanos = clock.nanoTime();
        }
        lastError = error;
    }

    /**
     * How far behind the tip the reader is: as Kinesis last said while reads work; that plus the time since the last
     * read that worked (or since the start, before any) while they fail; {@code null} before anything is known.
     */
    @Nullable Long lagMillis() {
        if (lastError == null) {
            return millisBehindAtSuccess;
        }
        long base = millisBehindAtSuccess == null ? 0 : millisBehindAtSuccess;
        return base + Duration.ofNanos(clock.nanoTime() - lastSuccessNanos).toMillis();
    }

    /** The last failure, while reads fail; {@code null} once one works again. */
    @Nullable String lastError() {
        return lastError;
    }

    /** How long reads have been failing, or {@code null} while they work. */
    @Nullable Duration failingFor() {
        return lastError == null ? null : Duration.ofNanos(clock.nanoTime() - failingSinceNanos);
    }
}
