package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.MonotonicClock;
import dev.checkpoint.RequestOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import org.jspecify.annotations.Nullable;

/**
 * Runs DynamoDB requests with a timeout each and bounded, backed-off retries of transient failures.
 *
 * <p>The retries are ours alone: every request turns the client's own retries off, so that
 * {@code retries} is the true bound whatever client the application supplies. A conditional-check
 * failure is never retried here; it is returned to the caller, which re-reads the row to learn why.
 */
final class DynamoDbCalls {

    private static final Logger log = LoggerFactory.getLogger(DynamoDbCalls.class);
    private static final long NO_DEADLINE = Long.MIN_VALUE;

    private final String tableName;
    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final MonotonicClock monotonicClock;
    private final CheckpointListener listener;
    private final Duration requestTimeout;
    private final boolean clientRetries;
    private final AwsRequestOverrideConfiguration requestOverrides;
    /** The same, with the SDK's metrics of the request going to {@link #poolWatch}. */
    private final AwsRequestOverrideConfiguration watchedOverrides;
    private final ConnectionPoolWatch poolWatch;

    /**
     * @param clientRetries whether the client retries on its own ({@link #retriesOnItsOwn}): then every request switches
     *        that off, with a request-level plugin, which costs the SDK a copy of the client's configuration per request
     * @param serves which requests the client serves, for the watch of its connection pool
     */
    DynamoDbCalls(String tableName, RetryPolicy retryPolicy, Sleeper sleeper, Duration requestTimeout,
            MonotonicClock monotonicClock, CheckpointListener listener, boolean clientRetries,
            ConnectionPoolWatch.Serves serves) {
        this(tableName, retryPolicy, sleeper, requestTimeout, monotonicClock, listener, clientRetries,
                new ConnectionPoolWatch(tableName, serves));
    }

    private DynamoDbCalls(String tableName, RetryPolicy retryPolicy, Sleeper sleeper, Duration requestTimeout,
            MonotonicClock monotonicClock, CheckpointListener listener, boolean clientRetries, ConnectionPoolWatch poolWatch) {
        this.tableName = tableName;
        this.retryPolicy = retryPolicy;
        this.sleeper = sleeper;
        this.monotonicClock = monotonicClock;
        this.listener = listener;
        this.requestTimeout = requestTimeout;
        this.clientRetries = clientRetries;
        AwsRequestOverrideConfiguration.Builder overrides = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(requestTimeout)
                .apiCallAttemptTimeout(requestTimeout);
        if (clientRetries) {
            overrides.addPlugin(config -> config.overrideConfiguration(
                    override -> override.retryStrategy(AwsRetryStrategy.doNotRetry())));
        }
        this.requestOverrides = overrides.build();
        this.poolWatch = poolWatch;
        this.watchedOverrides = requestOverrides.toBuilder().addMetricPublisher(poolWatch).build();
    }

    /**
     * Whether {@code client} retries failed requests itself, by the retry strategy it was built with. A client that
     * cannot say (a test double) is taken to retry. The starter builds its own client without retries.
     */
    static boolean retriesOnItsOwn(DynamoDbClient client) {
        try {
            return client.serviceClientConfiguration().overrideConfiguration().retryStrategy()
                    .map(strategy -> strategy.maxAttempts() > 1).orElse(true);
        }
        catch (RuntimeException cannotTell) {
            return true;
        }
    }

    /**
     * To be set on every request: the timeout, and the client's own retries switched off when it has any; on a sample
     * of requests, the watch of the client's connection pool.
     */
    AwsRequestOverrideConfiguration requestOverrides() {
        return poolWatch.watchNext() ? watchedOverrides : requestOverrides;
    }

    /** The same rules for the calls of another client, which serves {@code serves}, with a watch of its own pool. */
    DynamoDbCalls forClient(DynamoDbClient client, ConnectionPoolWatch.Serves serves) {
        return new DynamoDbCalls(tableName, retryPolicy, sleeper, requestTimeout, monotonicClock, listener,
                retriesOnItsOwn(client), serves);
    }

    /** The same calls with another bound on retries, such as none for a health check; the same watch of the pool. */
    DynamoDbCalls withRetries(int retries) {
        return new DynamoDbCalls(tableName, retryPolicy.withMaxRetries(retries), sleeper, requestTimeout,
                monotonicClock, listener, clientRetries, poolWatch);
    }

    /**
     * Runs {@code call}, retrying transient failures up to the configured number of times.
     *
     * @param operation what the call does
     * @param shardId the shard concerned, or {@code null}
     * @throws ConditionalCheckFailedException when the write's condition did not hold
     * @throws CheckpointStoreException for any other failure, once retries are spent or when not transient: every
     *         failure of a call, whatever its type, comes out as this library's exception
     */
    <T> T execute(CheckpointOperation operation, @Nullable String shardId, Supplier<T> call) {
        return run(NO_DEADLINE, operation, shardId, overrides -> call.get());
    }

    /**
     * Runs {@code call} as {@link #execute} does, but never past {@code deadlineNanos} (on the monotonic clock): no
     * attempt starts after it, each attempt's timeout ends at it at the latest, and no retry waits beyond it. For
     * renewals, which are worth nothing once the lease has run out.
     *
     * @param call makes the request with the overrides it is given: the client's retries off, and the timeout;
     *        {@link #requestOverrides()} itself while the deadline is further away than the request timeout
     * @throws CheckpointStoreException as {@link #execute} does, and when the deadline has come
     */
    <T> T executeBefore(long deadlineNanos, CheckpointOperation operation, String shardId,
            Function<AwsRequestOverrideConfiguration, T> call) {
        return run(deadlineNanos, operation, shardId, call);
    }

    /** The one retry loop: {@code deadlineNanos} is {@link #NO_DEADLINE}, or bounds every attempt and wait. */
    private <T> T run(long deadlineNanos, CheckpointOperation operation, String shardId,
            Function<AwsRequestOverrideConfiguration, T> call) {
        boolean bounded = deadlineNanos != NO_DEADLINE;
        for (int retry = 0; ; retry++) {
            long start = monotonicClock.nanoTime();
            AwsRequestOverrideConfiguration overrides = poolWatch.watchNext() ? watchedOverrides : requestOverrides;
            if (bounded) {
                long left = deadlineNanos - start;
                if (left <= 0) {
                    throw new CheckpointStoreException(shardId, describe(operation, shardId)
                            + " was not done before its deadline, after " + retry + (retry == 1 ? " attempt" : " attempts"), null);
                }
                if (left < requestTimeout.toNanos()) {
                    // the deadline comes before the request timeout would: the attempt ends at the deadline
                    Duration timeout = Duration.ofNanos(left);
                    overrides = overrides.toBuilder().apiCallTimeout(timeout).apiCallAttemptTimeout(timeout).build();
                }
            }
            try {
                T result = call.apply(overrides);
                completed(operation, RequestOutcome.SUCCESS, start);
                return result;
            }
            catch (ConditionalCheckFailedException lostRace) {
                completed(operation, RequestOutcome.CONDITION_FAILED, start);
                throw lostRace;
            }
            catch (SdkException failure) {
                completed(operation, TransientErrors.isThrottling(failure) ? RequestOutcome.THROTTLED : RequestOutcome.ERROR, start);
                Duration delay = retryPolicy.delayBefore(retry + 1);
                if (!TransientErrors.isRetryable(failure) || retry >= retryPolicy.maxRetries()
                        || (bounded && monotonicClock.nanoTime() + delay.toNanos() - deadlineNanos >= 0)) {
                    throw new CheckpointStoreException(shardId, describe(operation, shardId) + " failed after "
                            + (retry + 1) + (retry == 0 ? " attempt: " : " attempts: ") + failure.getMessage(), failure);
                }
                log.debug("{} failed ({}); retry {} of {} in {} ms", describe(operation, shardId), failure.getMessage(),
                        retry + 1, retryPolicy.maxRetries(), delay.toMillis());
                pause(operation, shardId, delay, failure);
            }
            catch (CheckpointException ours) {
                throw ours;
            }
            catch (RuntimeException unexpected) {
                // Not the SDK's own kind of failure (a cancelled future, a closed client's IllegalStateException, ...):
                // still this library's exception, with the cause, and not retried, since nothing says it is transient.
                completed(operation, RequestOutcome.ERROR, start);
                throw new CheckpointStoreException(shardId, describe(operation, shardId) + " failed: " + unexpected,
                        unexpected);
            }
        }
    }

    private void completed(CheckpointOperation operation, RequestOutcome outcome, long startNanos) {
        try {
            listener.requestCompleted(operation, outcome, Duration.ofNanos(monotonicClock.nanoTime() - startNanos));
        }
        catch (RuntimeException listenerFailure) {
            log.warn("Checkpoint listener failed on {}: {}", operation.description(), listenerFailure.toString());
        }
    }

    private void pause(CheckpointOperation operation, String shardId, Duration delay, SdkException failure) {
        try {
            sleeper.sleep(delay);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            CheckpointStoreException stopped = new CheckpointStoreException(shardId,
                    describe(operation, shardId) + " was interrupted while waiting to retry", interrupted);
            stopped.addSuppressed(failure);
            throw stopped;
        }
    }

    private String describe(CheckpointOperation operation, String shardId) {
        return operation.description() + (shardId == null ? "" : " of shard " + shardId) + " in table " + tableName;
    }
}
