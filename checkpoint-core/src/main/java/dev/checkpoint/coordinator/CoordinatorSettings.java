package dev.checkpoint.coordinator;

import java.time.Duration;

import dev.checkpoint.InvalidSettingException;

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

    /** @throws InvalidSettingException naming the first setting out of range */
    void validate(Duration leaseDuration) {
        requirePositive(renewInterval, "renewInterval");
        requirePositive(syncInterval, "syncInterval");
        requirePositive(shutdownGrace, "shutdownGrace");
        if (renewInterval.multipliedBy(2).compareTo(leaseDuration) >= 0) {
            throw new InvalidSettingException("renewInterval", renewInterval, "below half of {leaseDuration} ("
                    + leaseDuration + "), so that one late renewal does not lose the lease");
        }
        if (maxLeasesForWorker < 1) {
            throw new InvalidSettingException("maxLeasesForWorker", maxLeasesForWorker, "1 or more");
        }
        if (maxLeasesToStealAtOneTime < 0) {
            throw new InvalidSettingException("maxLeasesToStealAtOneTime", maxLeasesToStealAtOneTime, "0 or more");
        }
    }

    private static void requirePositive(Duration value, String setting) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidSettingException(setting, value, "a positive duration");
        }
    }
}
