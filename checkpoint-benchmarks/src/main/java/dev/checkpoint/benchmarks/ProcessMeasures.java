package dev.checkpoint.benchmarks;

import java.lang.management.ManagementFactory;

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

    /** The CPU time of this process so far, in nanoseconds; 0 where the JVM does not say. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }
}
