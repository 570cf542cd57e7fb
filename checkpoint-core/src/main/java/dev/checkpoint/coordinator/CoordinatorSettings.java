package dev.checkpoint.coordinator;

import java.time.Duration;

/**
 * The coordinator's intervals and limits.
 *
 * @param renewInterval how often held leases are renewed
 * @param syncInterval how often the shards and the table are read
 * @param maxLeasesForWorker the most leases one worker holds
 * @param maxLeasesToStealAtOneTime the most shards claimed in one sync
 * @param shutdownGrace how long a listener gets to finish an ending lease
 */
record CoordinatorSettings(Duration renewInterval, Duration syncInterval, int maxLeasesForWorker,
        int maxLeasesToStealAtOneTime, Duration shutdownGrace) {

    /** @throws IllegalArgumentException naming the first setting out of range */
    void validate(Duration leaseDuration) {
        requirePositive(renewInterval, "renewInterval");
        requirePositive(syncInterval, "syncInterval");
        requirePositive(shutdownGrace, "shutdownGrace");
        if (renewInterval.multipliedBy(2).compareTo(leaseDuration) >= 0) {
            throw new IllegalArgumentException("renewInterval (" + renewInterval + ") must be below half the lease duration ("
                    + leaseDuration + "), so that one failed renewal does not lose the lease");
        }
        if (maxLeasesForWorker < 1) {
            throw new IllegalArgumentException("maxLeasesForWorker must be 1 or more, was " + maxLeasesForWorker);
        }
        if (maxLeasesToStealAtOneTime < 0) {
            throw new IllegalArgumentException("maxLeasesToStealAtOneTime must be 0 or more, was " + maxLeasesToStealAtOneTime);
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
