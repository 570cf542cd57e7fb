package dev.checkpoint.coordinator;

/**
 * The benchmarks' crash of a coordinator: every thread stopped at once, nothing released, what a killed process leaves
 * behind. In the coordinator's package, as the tests' access is, so that no application gets a way to do it and the
 * benchmarks need nothing of core's tests.
 */
public final class Crashes {

    private Crashes() {
    }

    public static void kill(LeaseCoordinator coordinator) {
        coordinator.halt();
    }
}
