package dev.checkpoint.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import dev.checkpoint.coordinator.LeaseCoordinator;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the {@link LeaseCoordinator} with the application context: started once every other bean is ready,
 * stopped gracefully, leases ended through the listener and released, before the rest of the context closes.
 *
 * <p>While it runs, one non-daemon thread keeps the JVM alive: the coordinator's own threads are daemons (a library
 * must not hold a JVM open), so an application without a web server, a pure consumer, would otherwise exit as soon as
 * it has started. The thread ends when the context stops, as Kafka's and Spring Cloud AWS's listener containers do.
 */
public class LeaseCoordinatorLifecycle implements SmartLifecycle {

    private final LeaseCoordinator coordinator;
    private volatile boolean running;
    private volatile CountDownLatch stopped = new CountDownLatch(0);

    public LeaseCoordinatorLifecycle(LeaseCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public void start() {
        coordinator.start();
        running = true;
        keepAlive();
    }

    private void keepAlive() {
        CountDownLatch latch = new CountDownLatch(1);
        stopped = latch;
        Thread thread = new Thread(() -> {
            try {
                latch.await();
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }, "checkpoint-keep-alive-" + coordinator.getWorkerId());
        thread.setDaemon(false);
        thread.start();
    }

    @Override
    public void stop() {
        try {
            coordinator.stop();
        }
        finally {
            running = false;
            stopped.countDown();
        }
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
