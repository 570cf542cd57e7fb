package dev.checkpoint.benchmarks;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/** What the benchmarks read of their own JVM: its CPU time and the heap it uses. */
final class ProcessMeasures {

    private ProcessMeasures() {
    }

    /** The heap in use after two collections: what is live, roughly. */
    static long heapAfterCollection() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Waits until at most {@code most} platform threads are alive, or {@code limit} has passed: the idle threads of an
     * earlier run end (a pool's keep-alive) before the next run counts its own. @return the live threads then
     */
    static int awaitPlatformThreadsAtMost(int most, Duration limit) throws InterruptedException {
        Waits.within(limit, Duration.ofMillis(200), () -> liveThreads() <= most);
        return liveThreads();
    }

    private static int liveThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** The CPU time of this process so far, in nanoseconds; 0 where the JVM does not say. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
