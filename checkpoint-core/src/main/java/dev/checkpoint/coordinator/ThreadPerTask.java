package dev.checkpoint.coordinator;

import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Each task on a new thread of its own, from a factory of virtual threads: nothing ever waits for a thread. (Java 21's
 * {@code Executors.newThreadPerTaskExecutor}, for code built for Java 17.)
 */
final class ThreadPerTask extends AbstractExecutorService {

    private final ThreadFactory threads;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean shutDown;

    ThreadPerTask(ThreadFactory threads) {
        this.threads = threads;
    }

    @Override
    public void execute(Runnable task) {
        if (shutDown) {
            throw new RejectedExecutionException("shut down");
        }
        Thread thread = threads.newThread(() -> {
            try {
                task.run();
            }
            finally {
                running.remove(Thread.currentThread());
            }
        });
        running.add(thread);
        thread.start();
    }

    /** The tasks running now. */
    int running() {
        return running.size();
    }

    @Override
    public void shutdown() {
        shutDown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutDown = true;
        running.forEach(Thread::interrupt);
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutDown;
    }

    @Override
    public boolean isTerminated() {
        return shutDown && running.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!isTerminated()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return true;
    }
}
