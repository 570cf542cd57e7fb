package dev.checkpoint.coordinator;

/** For the coordinator scenarios: a worker that dies at once, as on SIGKILL, releasing nothing. */
public final class Kill {

    private Kill() {
    }

    public static void now(LeaseCoordinator coordinator) {
        coordinator.halt();
    }
}
