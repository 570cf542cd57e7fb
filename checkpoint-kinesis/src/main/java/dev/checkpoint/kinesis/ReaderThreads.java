package dev.checkpoint.kinesis;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.checkpoint.coordinator.DaemonThreadFactory;

/**
 * Where the shard readers run their turns (a read, and the processing of what it returned): a bounded pool of
 * platform threads shared by every shard held, or, given a thread factory (virtual threads from Java 21 on), a new
 * thread for each turn. Between turns a reader holds no thread: its waits are {@link Alarms} on one timer thread. The
 * threads do not grow with the shards held.
 */
final class ReaderThreads implements Alarms, AutoCloseable {

    private final Executor turns;
    private final ScheduledThreadPoolExecutor timer;
    /** The pool's size; 0 for a thread per turn. */
    private final int maxThreads;
    private final AtomicInteger running = new AtomicInteger();

    private ReaderThreads(Executor turns, int maxThreads) {
        this.turns = turns;
        this.maxThreads = maxThreads;
        this.timer = new ScheduledThreadPoolExecutor(1, new DaemonThreadFactory("checkpoint-kinesis-timer"));
        timer.setKeepAliveTime(1, TimeUnit.MINUTES);
        timer.allowCoreThreadTimeOut(true);
    }

    /** At most {@code threads} platform threads, made as turns need them and ended after a minute idle. */
    static ReaderThreads bounded(int threads) {
        return new ReaderThreads(pool(threads, "checkpoint-kinesis-reader"), threads);
    }

    /** At most {@code threads} daemon platform threads named after {@code name}, made as needed, ended after a minute idle. */
    static ThreadPoolExecutor pool(int threads, String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DaemonThreadFactory(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** A thread from {@code factory} for each turn, named after its shard. */
    static ReaderThreads perTurn(ThreadFactory factory) {
        return new ReaderThreads(turn -> factory.newThread(turn).start(), 0);
    }

    /** Runs a turn of the reader of {@code shardId}; none once closed (every reader has ended by then). */
    void run(String shardId, Runnable turn) {
        try {
            turns.execute(() -> {
                Thread thread = Thread.currentThread();
                String name = thread.getName();
                running.incrementAndGet();
                thread.setName("checkpoint-kinesis-" + shardId);
                try {
                    turn.run();
                }
                finally {
                    thread.setName(name);
                    running.decrementAndGet();
                }
            });
        }
        catch (RejectedExecutionException closed) {
            // a late wake-up (an event, a stop) of a reader that has ended
        }
    }

    @Override
    public void after(long delayNanos, Runnable task) {
        try {
            timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        }
        catch (RejectedExecutionException closed) {
            // closed: every reader has ended
        }
    }

    /** Ends the pool's idle threads and the timer's at once; turns under way finish. */
    @Override
    public void close() {
        timer.shutdownNow();
        if (turns instanceof ThreadPoolExecutor pool) {
            pool.shutdown();
        }
    }

    ReaderThreadsStatus status() {
        return turns instanceof ThreadPoolExecutor pool
                ? new ReaderThreadsStatus("platform", maxThreads, running.get(), pool.getQueue().size())
                : new ReaderThreadsStatus("virtual", 0, running.get(), 0);
    }
}
