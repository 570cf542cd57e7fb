package dev.checkpoint.kinesis;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;

/**
 * One {@code SubscribeToShard} call's events, handed from the HTTP client's threads to the shard's reader through a
 * queue; a reader waiting for them is woken when one comes. Back-pressure: one event is asked for at a time ({@link #requestNext()}, once the reader has taken the last
 * one), so a slow processor holds at most one event here and Kinesis waits for it.
 */
final class ShardSubscription implements Subscriber<SubscribeToShardEventStream> {

    /** What the reader is told. */
    sealed interface Signal {
    }

    /** An event with records (possibly none), from Kinesis. */
    record Event(SubscribeToShardEvent event) implements Signal {
    }

    /** The subscription ended: the service ends each after 5 minutes, or at the shard's end. */
    record Ended() implements Signal {
    }

    /** The subscription failed. */
    record Failed(Throwable failure) implements Signal {
    }

    /** Nothing happened: no event came yet, or the reader was woken to see its stop signal. */
    record Woken() implements Signal {
    }

    private final Queue<Signal> signals = new ConcurrentLinkedQueue<>();
    /** Reactive Streams asks that request and cancel be called one at a time. */
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Subscription upstream;
    private boolean cancelled;
    private volatile boolean over;
    /** The reader to wake with the next signal, if it waits for one. */
    private final AtomicReference<@Nullable Runnable> waiting = new AtomicReference<>();

    @Override
    public void onSubscribe(Subscription subscription) {
        lock.lock();
        try {
            if (cancelled) {
                subscription.cancel();
                return;
            }
            upstream = subscription;
            subscription.request(1);
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public void onNext(SubscribeToShardEventStream event) {
        if (event instanceof SubscribeToShardEvent records) {
            signal(new Event(records));
        }
        else {
            requestNext(); // an event of a kind this reader does not know: ask for the next
        }
    }

    @Override
    public void onError(Throwable failure) {
        end(new Failed(failure));
    }

    @Override
    public void onComplete() {
        end(new Ended());
    }

    /** The call failed before its events began (refused, or the connection lost). */
    void failed(Throwable failure) {
        end(new Failed(failure));
    }

    private void end(Signal signal) {
        if (!over) {
            over = true;
            signal(signal);
        }
    }

    /** Asks Kinesis for the next event. */
    void requestNext() {
        lock.lock();
        try {
            if (upstream != null && !cancelled) {
                upstream.request(1);
            }
        }
        finally {
            lock.unlock();
        }
    }

    /** Ends the subscription: Kinesis sends no more; the reader is woken. */
    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            if (upstream != null) {
                upstream.cancel();
            }
        }
        finally {
            lock.unlock();
        }
        signal(new Woken());
    }

    private void signal(Signal signal) {
        signals.add(signal);
        Runnable reader = waiting.getAndSet(null);
        if (reader != null) {
            reader.run();
        }
    }

    /** The next signal, or {@link Woken} when none came. */
    Signal poll() {
        Signal signal = signals.poll();
        return signal == null ? new Woken() : signal;
    }

    /** Whether a signal is there to {@link #poll}; when none is, {@code wake} runs when the next one comes. */
    boolean hasSignalOrWhenOneComes(Runnable wake) {
        if (!signals.isEmpty()) {
            return true;
        }
        waiting.set(wake);
        return !signals.isEmpty(); // one that came meanwhile may have found nobody waiting
    }
}
