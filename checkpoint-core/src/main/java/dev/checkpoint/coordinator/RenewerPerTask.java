package dev.checkpoint.coordinator;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

/**
 * Renewals on virtual threads: each starts at once on a thread of its own, so none ever waits for another, however
 * many leases are held. A virtual thread waiting on DynamoDB's answer or on a backoff holds no carrier thread.
 */
final class RenewerPerTask implements RenewalExecutor {

    private final ThreadPerTask threads;

    RenewerPerTask(ThreadFactory virtualThreads) {
        this.threads = new ThreadPerTask(virtualThreads);
    }

    @Override
    public void execute(long deadlineNanos, Runnable renewal) {
        try {
            threads.execute(renewal);
        }
        catch (RejectedExecutionException stopped) {
            // the coordinator stopped: nothing more is renewed
        }
    }

    @Override
    public RenewalThreads status() {
        int now = threads.running();
        return new RenewalThreads("virtual", now, 0, now, 0, 0);
    }

    @Override
    public void shutdownNow() {
        threads.shutdownNow();
    }
}
