package dev.checkpoint.coordinator;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * Renewals on virtual threads: each starts at once on a thread of its own, so none ever waits for another, however
 * many leases are held. A virtual thread waiting on DynamoDB's answer or on a backoff holds no carrier thread.
 */
final class RenewerPerTask implements RenewalExecutor {

    private final ThreadFactory virtualThreads;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean shutDown;

    RenewerPerTask(ThreadFactory virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    @Override
    public void execute(long deadlineNanos, Runnable renewal) {
        if (shutDown) {
            return;
        }
        Thread thread = virtualThreads.newThread(() -> {
            try {
                renewal.run();
            }
            finally {
                running.remove(Thread.currentThread());
            }
        });
        running.add(thread);
        thread.start();
    }

    @Override
    public RenewalThreads status() {
        int now = running.size();
        return new RenewalThreads("virtual", now, 0, now, 0, 0);
    }

    @Override
    public void shutdownNow() {
        shutDown = true;
        running.forEach(Thread::interrupt);
    }
}
