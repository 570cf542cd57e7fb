package dev.checkpoint.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.Checkpointer;
import dev.checkpoint.autoconfigure.CheckpointProperties.TableInitialization;
import dev.checkpoint.coordinator.DaemonThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.SmartLifecycle;

/**
 * Checks the lease table, and creates it when it is missing and creation is on ({@link Checkpointer#init()}).
 * <ul>
 * <li>{@code checkpoint.table-initialization=startup}: once, when this bean is initialised; a failure stops start-up
 * with a message that says what is wrong.</li>
 * <li>{@code deferred}: in the background once the context has started, retrying with a growing delay until it
 * succeeds; health is DOWN until then.</li>
 * </ul>
 */
public class LeaseTableInitializer implements InitializingBean, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseTableInitializer.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final Checkpointer checkpointer;
    private final TableInitialization mode;
    private volatile ScheduledExecutorService executor;
    private volatile boolean initialized;

    public LeaseTableInitializer(Checkpointer checkpointer, TableInitialization mode) {
        this.checkpointer = checkpointer;
        this.mode = mode;
    }

    /** Whether the table has been checked (and created) successfully. */
    public boolean isInitialized() {
        return initialized;
    }

    public TableInitialization getMode() {
        return mode;
    }

    @Override
    public void afterPropertiesSet() {
        if (mode == TableInitialization.STARTUP) {
            checkpointer.init();
            initialized = true;
        }
    }

    @Override
    public void start() {
        if (mode != TableInitialization.DEFERRED || initialized) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(new DaemonThreadFactory("checkpoint-table-init"));
        executor.execute(() -> attempt(FIRST_DELAY));
    }

    private void attempt(Duration nextDelay) {
        try {
            checkpointer.init();
            initialized = true;
            log.info("Lease table is ready");
            executor.shutdown();
        }
        catch (CheckpointException failure) {
            log.warn("Lease table not ready, trying again in {} s: {}", nextDelay.toSeconds(), failure.getMessage());
            Duration after = nextDelay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : nextDelay.multipliedBy(2);
            executor.schedule(() -> attempt(after), nextDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        ScheduledExecutorService running = executor;
        return running != null && !running.isShutdown();
    }
}
