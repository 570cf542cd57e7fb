package dev.checkpoint.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.Checkpointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * With {@code checkpoint.table-initialization=deferred}: checks and creates the lease table in the background
 * after start-up, retrying with a growing delay until it succeeds. Health is DOWN until then.
 */
public class DeferredTableInitializer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeferredTableInitializer.class);
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);

    private final Checkpointer checkpointer;
    private volatile ScheduledExecutorService executor;
    private volatile boolean initialized;

    public DeferredTableInitializer(Checkpointer checkpointer) {
        this.checkpointer = checkpointer;
    }

    /** Whether the table has been checked (and created) successfully. */
    public boolean isInitialized() {
        return initialized;
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "checkpoint-table-init");
            thread.setDaemon(true);
            return thread;
        });
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
