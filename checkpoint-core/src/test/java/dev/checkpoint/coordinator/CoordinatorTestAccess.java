package dev.checkpoint.coordinator;

import java.util.Random;

/** What tests in other packages may do to a coordinator that applications may not. */
public final class CoordinatorTestAccess {

    private CoordinatorTestAccess() {
    }

    /** Stops every thread at once, releasing nothing: what a killed process leaves behind. */
    public static void kill(LeaseCoordinator coordinator) {
        coordinator.halt();
    }

    /** Makes the coordinator's random choices (which shard to take first, whom to claim from) reproducible. */
    public static LeaseCoordinator.Builder seeded(LeaseCoordinator.Builder builder, long seed) {
        return builder.random(new Random(seed));
    }
}
