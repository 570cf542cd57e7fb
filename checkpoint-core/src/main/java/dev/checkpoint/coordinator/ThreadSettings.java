package dev.checkpoint.coordinator;

import java.util.concurrent.ThreadFactory;

import dev.checkpoint.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * Where a coordinator's renewals and listener callbacks run: renewals on a pool of at most {@code maxRenewalThreads}
 * platform threads, or each on a thread of its own from {@code virtualThreads}.
 */
record ThreadSettings(int maxRenewalThreads, @Nullable ThreadFactory virtualThreads) {

    /** @throws InvalidSettingException naming the builder's setting that cannot work */
    void validate() {
        if (maxRenewalThreads < 1) {
            throw new InvalidSettingException("maxRenewalThreads", maxRenewalThreads, "at least 1");
        }
        if (virtualThreads != null) {
            VirtualThreads.require(virtualThreads, "virtualThreads");
        }
    }

    /** Makes the threads of each start. */
    CoordinatorThreads.Factory factory() {
        return (workerId, clock) -> CoordinatorThreads.onNewThreads(workerId, clock, maxRenewalThreads, virtualThreads);
    }
}
