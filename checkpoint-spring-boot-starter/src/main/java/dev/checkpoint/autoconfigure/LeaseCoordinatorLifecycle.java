package dev.checkpoint.autoconfigure;

import java.util.concurrent.CompletableFuture;

import dev.checkpoint.coordinator.LeaseCoordinator;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link LeaseCoordinator} with the application context: started once every other bean is ready,
 * stopped gracefully, leases ended through the listener and released, before the rest of the context closes.
 */
public class LeaseCoordinatorLifecycle implements SmartLifecycle {

    private final LeaseCoordinator coordinator;
    private volatile boolean running;

    public LeaseCoordinatorLifecycle(LeaseCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void start() {
        coordinator.start();
        running = true;
    }

    @Override
    public void stop() {
        coordinator.stop();
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        CompletableFuture.runAsync(this::stop).whenComplete((done, failure) -> callback.run());
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
