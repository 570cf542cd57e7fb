package dev.checkpoint.dynamodb;

import java.time.Duration;
import java.util.function.Supplier;

import dev.checkpoint.CheckpointStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Runs DynamoDB requests with a timeout each and bounded, backed-off retries of transient failures.
 *
 * <p>The retries are ours alone: every request turns the client's own retries off, so that
 * {@code retries} is the true bound whatever client the application supplies. A conditional-check
 * failure is never retried here; it is returned to the caller, which re-reads the row to learn why.
 */
final class DynamoDbCalls {

    private static final Logger log = LoggerFactory.getLogger(DynamoDbCalls.class);

    private final RetryPolicy retryPolicy;
    private final Sleeper sleeper;
    private final AwsRequestOverrideConfiguration requestOverrides;

    DynamoDbCalls(RetryPolicy retryPolicy, Sleeper sleeper, Duration requestTimeout) {
        this.retryPolicy = retryPolicy;
        this.sleeper = sleeper;
        this.requestOverrides = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(requestTimeout)
                .apiCallAttemptTimeout(requestTimeout)
                .addPlugin(config -> config.overrideConfiguration(
                        override -> override.retryStrategy(AwsRetryStrategy.doNotRetry())))
                .build();
    }

    /** To be set on every request: the timeout, and the client's own retries switched off. */
    AwsRequestOverrideConfiguration requestOverrides() {
        return requestOverrides;
    }

    /**
     * Runs {@code call}, retrying transient failures up to the configured number of times.
     *
     * @param operation what the call does, for messages, such as "renew lease"
     * @param shardId the shard concerned, or {@code null}
     * @throws ConditionalCheckFailedException when the write's condition did not hold
     * @throws CheckpointStoreException for any other failure, once retries are spent or when not transient
     */
    <T> T execute(String operation, String shardId, Supplier<T> call) {
        for (int retry = 0; ; retry++) {
            try {
                return call.get();
            }
            catch (ConditionalCheckFailedException lostRace) {
                throw lostRace;
            }
            catch (SdkException failure) {
                if (!TransientErrors.isRetryable(failure) || retry >= retryPolicy.maxRetries()) {
                    throw new CheckpointStoreException(shardId, describe(operation, shardId) + " failed after "
                            + (retry + 1) + (retry == 0 ? " attempt: " : " attempts: ") + failure.getMessage(), failure);
                }
                Duration delay = retryPolicy.delayBefore(retry + 1);
                log.debug("{} failed ({}); retry {} of {} in {} ms", describe(operation, shardId), failure.getMessage(),
                        retry + 1, retryPolicy.maxRetries(), delay.toMillis());
                pause(operation, shardId, delay, failure);
            }
        }
    }

    private void pause(String operation, String shardId, Duration delay, SdkException failure) {
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

    private static String describe(String operation, String shardId) {
        return shardId == null ? operation : operation + " of shard " + shardId;
    }
}
