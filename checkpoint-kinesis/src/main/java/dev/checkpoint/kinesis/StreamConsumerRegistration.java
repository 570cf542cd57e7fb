package dev.checkpoint.kinesis;

import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerDescription;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * The enhanced fan-out consumer this application reads through, shared by its shards' subscriptions. Given an ARN
 * (made by infrastructure code), it is used as it is; given a name, the consumer of that name is found on the stream,
 * or registered when there is none (a worker registering at the same moment is no harm: the name is one consumer).
 * Either way, it is used once {@code ACTIVE}. Nothing here deregisters a consumer: one the application did not create
 * must not go, and one it did is kept for the next start, as the Java KCL does.
 */
final class StreamConsumerRegistration {

    private static final Logger log = LoggerFactory.getLogger(StreamConsumerRegistration.class);

    private final KinesisAsyncClient kinesis;
    private final StreamId stream;
    private final @Nullable String consumerName;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile @Nullable String consumerArn;
    private volatile boolean active;

    StreamConsumerRegistration(KinesisAsyncClient kinesis, StreamId stream, @Nullable String consumerName,
            @Nullable String consumerArn) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.consumerName = consumerName;
        this.consumerArn = consumerArn;
    }

    /**
     * The consumer's ARN once it is {@code ACTIVE}; {@code null} while it is still being registered (ask again a
     * little later).
     *
     * @throws FanOutUnavailableException when the consumer cannot be found or registered, saying why
     * @throws RuntimeException when Kinesis did not answer
     */
    @Nullable String activeArn() {
        if (active) {
            return consumerArn;
        }
        lock.lock();
        try {
            if (!active) {
                ConsumerDescription consumer = describeOrRegister();
                consumerArn = consumer.consumerARN();
                active = consumer.consumerStatus() == ConsumerStatus.ACTIVE;
                if (active) {
                    log.info("Reading stream {} through enhanced fan-out consumer {}", stream, consumerArn);
                }
            }
            return active ? consumerArn : null;
        }
        finally {
            lock.unlock();
        }
    }

    /** The consumer's ARN when known, for display; {@code null} before it was found or registered. */
    @Nullable String arn() {
        return consumerArn;
    }

    /** The consumer was not found by a subscription (deleted by hand): find or register it again. */
    void forget() {
        active = false;
        if (consumerName != null) {
            consumerArn = null;
        }
    }

    private ConsumerDescription describeOrRegister() {
        String known = consumerArn;
        if (known != null) {
            try {
                return join(kinesis.describeStreamConsumer(describe -> describe.consumerARN(known)))
                        .consumerDescription();
            }
            catch (ResourceNotFoundException missing) {
                if (consumerName == null) {
                    throw new FanOutUnavailableException("The enhanced fan-out consumer " + known + " does not exist: "
                            + "register it, or name one to register (consumerName) instead of its ARN", missing);
                }
                // registered by us before, and deregistered since: register it again below
            }
        }
        String name = consumerName;
        if (name == null) {
            throw new IllegalStateException("neither a consumer name nor an ARN");
        }
        String streamArn = streamArn();
        try {
            return join(kinesis.describeStreamConsumer(describe -> describe.streamARN(streamArn).consumerName(name)))
                    .consumerDescription();
        }
        catch (ResourceNotFoundException missing) {
            log.info("Registering enhanced fan-out consumer {} on stream {}", name, streamArn);
        }
        try {
            var registered = join(kinesis.registerStreamConsumer(register -> register.streamARN(streamArn)
                    .consumerName(name))).consumer();
            return ConsumerDescription.builder().consumerARN(registered.consumerARN()).consumerName(name)
                    .consumerStatus(registered.consumerStatus()).build();
        }
        catch (ResourceInUseException registeredMeanwhile) {
            return join(kinesis.describeStreamConsumer(describe -> describe.streamARN(streamArn).consumerName(name)))
                    .consumerDescription();
        }
        catch (LimitExceededException full) {
            throw new FanOutUnavailableException("Stream " + streamArn + " has no room for another enhanced fan-out "
                    + "consumer (at most 20, and one registration at a time): deregister one it no longer needs, "
                    + "reuse one by its ARN (consumerArn), or read by polling: " + full.getMessage(), full);
        }
    }

    private String streamArn() {
        if (stream.arn() != null) {
            return stream.arn();
        }
        return join(kinesis.describeStreamSummary(stream.describe(DescribeStreamSummaryRequest.builder()).build()))
                .streamDescriptionSummary().streamARN();
    }

    /** The answer of an async call, or its failure as thrown by the sync client. */
    static <T> T join(java.util.concurrent.CompletableFuture<T> call) {
        try {
            return call.join();
        }
        catch (CompletionException failed) {
            throw unwrap(failed);
        }
    }

    static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }

    /** Enhanced fan-out cannot be used as configured; the message says why and what to change. */
    static final class FanOutUnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        FanOutUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
