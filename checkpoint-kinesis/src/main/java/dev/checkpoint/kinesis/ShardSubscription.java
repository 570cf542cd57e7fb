package dev.checkpoint.kinesis;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;

/**
 * One {@code SubscribeToShard} call's events, handed from the HTTP client's threads to the shard's reader through a
 * queue. Back-pressure: one event is asked for at a time ({@link #requestNext()}, once the reader has taken the last
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

    /** Nothing happened: the reader was woken, to see its stop signal. */
    record Woken() implements Signal {
    }

    private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    /** Reactive Streams asks that request and cancel be called one at a time. */
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Subscription upstream;
    private boolean cancelled;
    private volatile boolean over;

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
            signals.add(new Event(records));
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
            signals.add(signal);
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
        signals.add(new Woken());
    }

    /** The next signal, or {@link Woken} after {@code wait} with none. */
    Signal next(Duration wait) throws InterruptedException {
        Signal signal = signals.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        return signal == null ? new Woken() : signal;
    }
}
