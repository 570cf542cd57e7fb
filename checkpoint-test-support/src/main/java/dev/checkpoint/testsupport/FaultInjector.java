package dev.checkpoint.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * Injects faults into a client's requests: throttling before a request is sent, a lost response after a
 * request took effect on the server, or a server that cannot be reached at all.
 */
public final class FaultInjector implements ExecutionInterceptor {

    private final AtomicInteger throttles = new AtomicInteger();
    private final AtomicInteger lostResponses = new AtomicInteger();
    private final AtomicBoolean unreachable = new AtomicBoolean();
    private volatile long pausedUntilNanos = System.nanoTime();
    private final ThreadLocal<long[]> lastTransmission = ThreadLocal.withInitial(() -> new long[] { Long.MIN_VALUE });
    private final AtomicInteger injected = new AtomicInteger();

    /** The next {@code count} requests fail with throttling, without reaching the server. */
    public void throttleNext(int count) {
        throttles.set(count);
    }

    /** The next {@code count} requests reach the server and take effect, but their responses are lost. */
    public void loseNextResponses(int count) {
        lostResponses.set(count);
    }

    /** Whether every request fails as if the server were down. */
    public void setUnreachable(boolean unreachable) {
        this.unreachable.set(unreachable);
    }

    /**
     * Holds every request back, before it is sent, until {@code duration} has passed: what a process pause looks
     * like from the server. Requests prepared before and during the pause are sent after it, with what they knew,
     * even when the client's timeout fired meanwhile: its interrupt is swallowed, as a paused process would not
     * see it either, so the request still lands and the caller sees a timeout.
     */
    public void pause(Duration duration) {
        pausedUntilNanos = System.nanoTime() + duration.toNanos();
    }

    /**
     * When the calling thread last sent a request through this injector ({@link System#nanoTime()}), or
     * {@link Long#MIN_VALUE} if it never did: for a request that was paused, the moment it really went out.
     */
    public long lastTransmissionOnThisThread() {
        return lastTransmission.get()[0];
    }

    /**
     * The process is gone: every request from now on fails without reaching the server, and so does every
     * request a pause is holding back.
     */
    public void cutOff() {
        unreachable.set(true);
        pausedUntilNanos = System.nanoTime();
    }

    /** Ends every fault: throttles and lost responses still due, unreachability and a pause in progress. */
    public void clear() {
        throttles.set(0);
        lostResponses.set(0);
        unreachable.set(false);
        pausedUntilNanos = System.nanoTime();
    }

    /** How many faults were injected. */
    public int injected() {
        return injected.get();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        waitOutPause();
        if (unreachable.get()) {
            injected.incrementAndGet();
            throw SdkClientException.create("injected: connection refused", new IOException("Connection refused"));
        }
        if (takeOne(throttles)) {
            injected.incrementAndGet();
            throw ProvisionedThroughputExceededException.builder()
                    .message("injected: throughput exceeded")
                    .statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("injected").serviceName("DynamoDb").build())
                    .build();
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (takeOne(lostResponses)) {
            injected.incrementAndGet();
            throw SdkClientException.create("injected: response lost", new IOException("Connection reset"));
        }
    }

    private void waitOutPause() {
        if (pausedUntilNanos - System.nanoTime() > 0) {
            injected.incrementAndGet();
            long remaining;
            while ((remaining = pausedUntilNanos - System.nanoTime()) > 0) {   // re-read: clear() ends it early
                try {
                    TimeUnit.NANOSECONDS.sleep(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(10)));
                }
                catch (InterruptedException timeoutFired) {
                    // swallowed: the paused request goes out when the pause ends
                }
            }
        }
        lastTransmission.get()[0] = System.nanoTime();
    }

    private static boolean takeOne(AtomicInteger remaining) {
        return remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
