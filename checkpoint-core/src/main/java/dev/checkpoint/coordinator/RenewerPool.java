package dev.checkpoint.coordinator;

import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.MonotonicClock;
import org.jspecify.annotations.Nullable;

/**
 * Renewals on threads of their own: a pool of one thread for every {@value #LEASES_PER_THREAD} leases held, at least
 * {@value #MIN_THREADS} and at most the setting, resized at each renewal round; platform threads, or virtual threads
 * when given them. The bound holds on virtual threads too: it is the renewals' budget of connections, so that they
 * never queue for the HTTP client's connections behind each other and the checkpoints, where the order would be
 * anybody's. A renewal that finds every thread busy waits in a queue ordered by its lease's deadline, so that the lease
 * closest to running out is renewed first, and is counted.
 *
 * <p>A renewal that starts after more than half of its time (from its submission to its lease's deadline) has gone
 * is counted as started late: the sign that DynamoDB, or this process, cannot keep up, before any lease is lost. The
 * pool does not grow on it: tried, doubling the pool on late renewals made a starved server slower for every request,
 * and a hog run's smoke lost every lease instead of a few.
 */
final class RenewerPool implements RenewalExecutor {

    static final int LEASES_PER_THREAD = 25;
    static final int MIN_THREADS = 8;

    private final ThreadPoolExecutor pool;
    private final String model;
    private final int maxThreads;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong startedLate = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final MonotonicClock clock;

    /** @param virtualThreads a factory of virtual threads, or {@code null}: platform threads of its own */
    RenewerPool(String workerId, int maxThreads, @Nullable ThreadFactory virtualThreads, MonotonicClock clock) {
        this.maxThreads = maxThreads;
        this.clock = clock;
        this.model = virtualThreads != null ? "virtual" : "platform";
        int initial = Math.min(MIN_THREADS, maxThreads);
        this.pool = new ThreadPoolExecutor(initial, initial, 60, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
                virtualThreads != null ? virtualThreads : new DaemonThreadFactory("checkpoint-renewer-" + workerId));
    }

    @Override
    public void execute(long deadlineNanos, Runnable renewal) {
        if (running.get() + pool.getQueue().size() >= pool.getCorePoolSize()) {
            waited.incrementAndGet();
        }
        long submitted = clock.nanoTime();
        pool.execute(new Urgent(deadlineNanos, sequence.incrementAndGet(), () -> {
            if (clock.nanoTime() - submitted > (deadlineNanos - submitted) / 2) {
                startedLate.incrementAndGet();
            }
            running.incrementAndGet();
            try {
                renewal.run();
            }
            finally {
                running.decrementAndGet();
            }
        }));
    }

    @Override
    public void fitTo(int leasesHeld) {
        int wanted = Math.min(maxThreads, Math.max(Math.min(MIN_THREADS, maxThreads),
                (leasesHeld + LEASES_PER_THREAD - 1) / LEASES_PER_THREAD));
        int size = pool.getCorePoolSize();
        if (wanted > size) {
            pool.setMaximumPoolSize(wanted);
            pool.setCorePoolSize(wanted);
        }
        else if (wanted < size) {
            pool.setCorePoolSize(wanted);
            pool.setMaximumPoolSize(wanted);
        }
    }

    @Override
    public RenewalThreads status() {
        return new RenewalThreads(model, pool.getCorePoolSize(), maxThreads, running.get(), pool.getQueue().size(),
                waited.get(), startedLate.get());
    }

    @Override
    public void shutdownNow() {
        pool.shutdownNow();
    }

    /** A renewal in the queue: the earliest deadline first, then the first submitted. */
    private record Urgent(long deadlineNanos, long sequence, Runnable renewal) implements Runnable, Comparable<Urgent> {

        @Override
        public void run() {
            renewal.run();
        }

        @Override
        public int compareTo(Urgent other) {
            int byDeadline = Long.compare(deadlineNanos - other.deadlineNanos, 0);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
