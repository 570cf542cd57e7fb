package dev.checkpoint.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.checkpoint.MonotonicClock;

/**
 * Runs coordinators without threads of their own, on a clock that moves only when the test says so. Syncs and
 * renewal rounds are queued for their due time and run in time order on the test's thread; the takes, renewals,
 * releases and listener callbacks they start run at once, where they are started. With a seeded coordinator the same
 * test gives the same run every time, and a minute of the coordinator's time takes milliseconds.
 *
 * <p>A worker can be paused, as a process in a long garbage collection is: its queued work waits, and runs late,
 * on resume.
 */
public final class ManualScheduler {

    private final List<Timed> queue = new ArrayList<>();
    private final Set<String> paused = new HashSet<>();
    private final List<Runnable> invariants = new ArrayList<>();
    private long nowNanos = 1_000_000_000L;
    private long sequence;

    /** The clock the coordinators and their lease stores read. */
    public MonotonicClock clock() {
        return () -> nowNanos;
    }

    /** Makes the coordinator built run on this scheduler. */
    public LeaseCoordinator.Builder drive(LeaseCoordinator.Builder builder) {
        return builder.threads(this::threadsFor);
    }

    /** Checked after every task run: an invariant that must hold at every instant. */
    public void checkAfterEachTask(Runnable invariant) {
        invariants.add(invariant);
    }

    /** Moves the clock on by {@code duration}, running everything due on the way, in time order. */
    public void advance(Duration duration) {
        long until = nowNanos + duration.toNanos();
        while (runNext(until)) {
            // run everything due
        }
        nowNanos = until;
    }

    /**
     * Runs what is due, task by task, until {@code condition} holds.
     *
     * @return how much time that took on this clock
     * @throws AssertionError when it does not hold within {@code limit}
     */
    public Duration advanceUntil(BooleanSupplier condition, Duration limit) {
        long start = nowNanos;
        long until = start + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (!runNext(until)) {
                throw new AssertionError("not so within " + limit + " of the coordinator's time");
            }
        }
        return Duration.ofNanos(nowNanos - start);
    }

    /** Holds back the worker's work, as a long pause of its process would. */
    public void pause(String workerId) {
        paused.add(workerId);
    }

    /** Lets the worker's held-back work run, late. */
    public void resume(String workerId) {
        paused.remove(workerId);
    }

    private CoordinatorThreads threadsFor(String workerId, MonotonicClock clock) {
        return new CoordinatorThreads(workerId, clock, new Lane(workerId), new Lane(workerId), new Lane(workerId),
                new InlineRenewals(), new Inline(), new Inline());
    }

    /** Runs the earliest task due by {@code until}, of a worker not paused; {@code false} when there is none. */
    private boolean runNext(long until) {
        Timed next = null;
        for (Timed task : queue) {
            if (!paused.contains(task.lane.workerId) && task.dueNanos - until <= 0
                    && (next == null || task.dueNanos < next.dueNanos
                            || task.dueNanos == next.dueNanos && task.sequence < next.sequence)) {
                next = task;
            }
        }
        if (next == null) {
            return false;
        }
        nowNanos = Math.max(nowNanos, next.dueNanos);
        if (next.periodNanos > 0) {
            next.dueNanos += next.periodNanos;
            next.sequence = sequence++;
            next.runAndReset();
        }
        else {
            queue.remove(next);
            next.run();
        }
        invariants.forEach(Runnable::run);
        return true;
    }

    /** A task of a {@link Lane}, due at a time on this clock, and again every period when it has one. */
    private final class Timed extends FutureTask<Object> implements ScheduledFuture<Object> {

        final Lane lane;
        final long periodNanos;
        long dueNanos;
        long sequence;

        Timed(Lane lane, Runnable task, long delayNanos, long periodNanos) {
            super(task, null);
            this.lane = lane;
            this.dueNanos = nowNanos + Math.max(0, delayNanos);
            this.periodNanos = periodNanos;
            this.sequence = ManualScheduler.this.sequence++;
        }

        @Override
        protected boolean runAndReset() {
            return super.runAndReset();
        }

        @Override
        protected void setException(Throwable failure) {
            // The coordinator's own tasks catch what they expect: anything else fails the test at once.
            throw new AssertionError("a coordinator task failed", failure);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            queue.remove(this);
            return super.cancel(false);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - nowNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }

    /** One of a worker's scheduled executors: its tasks go on the shared queue. */
    private final class Lane extends Pool implements ScheduledExecutorService {

        final String workerId;

        Lane(String workerId) {
            this.workerId = workerId;
        }

        @Override
        public void execute(Runnable command) {
            schedule(command, 0, TimeUnit.NANOSECONDS);
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            return enqueue(new Timed(this, command, unit.toNanos(delay), 0));
        }

        @Override
        public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
            throw new UnsupportedOperationException("the coordinator schedules only Runnables");
        }

        @Override
        public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
            return enqueue(new Timed(this, command, unit.toNanos(initialDelay), unit.toNanos(period)));
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
            return scheduleAtFixedRate(command, initialDelay, delay, unit);
        }

        private Timed enqueue(Timed task) {
            rejectWhenShutDown();
            queue.add(task);
            return task;
        }

        @Override
        public void shutdown() {
            super.shutdown();
            queue.removeIf(task -> task.lane == this);
        }
    }

    /** Renewals run at once, on the thread that submits them. */
    private static final class InlineRenewals implements RenewalExecutor {

        private final Inline inline = new Inline();

        @Override
        public void execute(long deadlineNanos, Runnable renewal) {
            inline.execute(renewal);
        }

        @Override
        public RenewalThreads status() {
            return new RenewalThreads("inline", 0, 0, 0, 0, 0, 0);
        }

        @Override
        public void shutdownNow() {
            inline.shutdownNow();
        }
    }

    /** A pool whose tasks run at once, on the thread that submits them. */
    private static final class Inline extends Pool {

        @Override
        public void execute(Runnable command) {
            rejectWhenShutDown();
            command.run();
        }
    }

    /** An executor that is shut down at once and for good: nothing of it runs on a thread of its own. */
    private abstract static class Pool extends AbstractExecutorService {

        private boolean shutdown;

        void rejectWhenShutDown() {
            if (shutdown) {
                throw new RejectedExecutionException("shut down");
            }
        }

        @Override
        public void shutdown() {
            shutdown = true;
        }

        @Override
        public List<Runnable> shutdownNow() {
            shutdown();
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return shutdown;
        }

        @Override
        public boolean isTerminated() {
            return shutdown;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return shutdown;
        }
    }
}
