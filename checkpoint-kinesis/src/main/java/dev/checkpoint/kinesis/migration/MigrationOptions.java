package dev.checkpoint.kinesis.migration;

import java.time.Duration;
import java.util.Objects;

/**
 * How carefully an import or export runs: how long the side read is watched for signs of life, whether the target's
 * progress may be replaced, whether anything is written, and who asks. Immutable; each {@code with…} returns a copy.
 *
 * @param observeFor how long the side read is watched before anything is written. Default 20 s: longer than the KCL's
 *        default lease (10 s), within which a running KCL renews every lease; set it above the other side's renewal
 *        interval
 * @param replaceProgress whether progress the target already has is replaced (default: kept, and said so)
 * @param dryRun read, check and report, writing nothing
 * @param requestedBy who asks, for the audit lines
 * @param pause how the observation waits (a test's may move a clock instead)
 */
public record MigrationOptions(Duration observeFor, boolean replaceProgress, boolean dryRun, String requestedBy,
        Pause pause) {

    /** How the observation waits. */
    @FunctionalInterface
    public interface Pause {

        Pause SLEEP = duration -> Thread.sleep(duration.toMillis());

        void pause(Duration duration) throws InterruptedException;
    }

    public MigrationOptions {
        if (observeFor == null || observeFor.isNegative()) {
            throw new IllegalArgumentException("observeFor must be zero or more");
        }
        if (requestedBy == null || requestedBy.isBlank()) {
            throw new IllegalArgumentException("requestedBy must name someone");
        }
        Objects.requireNonNull(pause, "pause");
    }

    /** Watched for 20 s, progress kept, written, by "java-api", sleeping. */
    public static MigrationOptions defaults() {
        return new MigrationOptions(Duration.ofSeconds(20), false, false, "java-api", Pause.SLEEP);
    }

    public MigrationOptions withObserveFor(Duration observeFor) {
        return new MigrationOptions(observeFor, replaceProgress, dryRun, requestedBy, pause);
    }

    public MigrationOptions withReplaceProgress(boolean replaceProgress) {
        return new MigrationOptions(observeFor, replaceProgress, dryRun, requestedBy, pause);
    }

    public MigrationOptions withDryRun(boolean dryRun) {
        return new MigrationOptions(observeFor, replaceProgress, dryRun, requestedBy, pause);
    }

    public MigrationOptions withRequestedBy(String requestedBy) {
        return new MigrationOptions(observeFor, replaceProgress, dryRun, requestedBy, pause);
    }

    public MigrationOptions withPause(Pause pause) {
        return new MigrationOptions(observeFor, replaceProgress, dryRun, requestedBy, pause);
    }
}
