package dev.checkpoint.kinesis;

import java.time.Duration;

import dev.checkpoint.InvalidSettingException;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link KinesisConsumer} reads and checkpoints. Build with {@link #builder()}: the stream is required, the
 * rest has defaults.
 *
 * @param streamName the stream's name, or {@code null} when named by ARN
 * @param streamArn the stream's ARN, or {@code null} when named by name
 * @param initialPosition where a shard without a checkpoint is read from
 * @param checkpointMode when progress is checkpointed
 * @param checkpointEveryRecords for {@link CheckpointMode#PERIODIC}: after this many records
 * @param checkpointEveryInterval for {@link CheckpointMode#PERIODIC}: after this long
 * @param maxRecordsPerFetch the most records one {@code GetRecords} call returns
 * @param idleInterval how long to wait after a {@code GetRecords} call that returned nothing
 * @param maxAttempts how many times a batch is processed before the failure policy applies
 * @param retryBackoff the wait before the second attempt; it doubles with each attempt after
 * @param failurePolicy what happens to a batch that failed every attempt
 * @param retrieval how records are read: polling, or enhanced fan-out
 * @param consumerName for {@link Retrieval#FAN_OUT}: the stream consumer to find or register, or {@code null}
 * @param consumerArn for {@link Retrieval#FAN_OUT}: a registered stream consumer to use, or {@code null}
 */
public record KinesisConsumerSettings(@Nullable String streamName, @Nullable String streamArn,
        InitialPosition initialPosition, CheckpointMode checkpointMode, int checkpointEveryRecords,
        Duration checkpointEveryInterval, int maxRecordsPerFetch, Duration idleInterval, int maxAttempts,
        Duration retryBackoff, FailurePolicy failurePolicy, Retrieval retrieval, @Nullable String consumerName,
        @Nullable String consumerArn) {

    /** Kinesis serves at most 5 {@code GetRecords} calls a second per shard. */
    static final Duration MIN_FETCH_INTERVAL = Duration.ofMillis(200);
    /** Kinesis serves at most 2 MB a second per shard. */
    static final long MAX_BYTES_PER_SECOND = 2L * 1024 * 1024;

    public static Builder builder() {
        return new Builder();
    }

    StreamId stream() {
        return new StreamId(streamName, streamArn);
    }

    /** Builds {@link KinesisConsumerSettings}. */
    public static final class Builder {

        private @Nullable String streamName;
        private @Nullable String streamArn;
        private InitialPosition initialPosition = InitialPosition.trimHorizon();
        private CheckpointMode checkpointMode = CheckpointMode.BATCH;
        private int checkpointEveryRecords = 1000;
        private Duration checkpointEveryInterval = Duration.ofSeconds(10);
        private int maxRecordsPerFetch = 10_000;
        private Duration idleInterval = Duration.ofMillis(500);
        private int maxAttempts = 3;
        private Duration retryBackoff = Duration.ofSeconds(1);
        private FailurePolicy failurePolicy = FailurePolicy.HAND_OFF;
        private Retrieval retrieval = Retrieval.POLLING;
        private @Nullable String consumerName;
        private @Nullable String consumerArn;

        private Builder() {
        }

        /** The stream's name; or give its {@link #streamArn ARN}. */
        public Builder streamName(@Nullable String streamName) {
            this.streamName = streamName;
            return this;
        }

        /** The stream's ARN, which also names its account and region; used instead of the name when given. */
        public Builder streamArn(@Nullable String streamArn) {
            this.streamArn = streamArn;
            return this;
        }

        /** Where a shard without a checkpoint is read from. Default: the oldest record kept (trim horizon). */
        public Builder initialPosition(InitialPosition initialPosition) {
            this.initialPosition = initialPosition;
            return this;
        }

        /** When progress is checkpointed. Default {@link CheckpointMode#BATCH}. */
        public Builder checkpointMode(CheckpointMode checkpointMode) {
            this.checkpointMode = checkpointMode;
            return this;
        }

        /** For {@link CheckpointMode#PERIODIC}: checkpoint after this many records. Default 1000. */
        public Builder checkpointEveryRecords(int checkpointEveryRecords) {
            this.checkpointEveryRecords = checkpointEveryRecords;
            return this;
        }

        /** For {@link CheckpointMode#PERIODIC}: checkpoint after this long. Default 10 seconds. */
        public Builder checkpointEveryInterval(Duration checkpointEveryInterval) {
            this.checkpointEveryInterval = checkpointEveryInterval;
            return this;
        }

        /** The most records one {@code GetRecords} call returns, 1 to 10,000. Default 10,000. */
        public Builder maxRecordsPerFetch(int maxRecordsPerFetch) {
            this.maxRecordsPerFetch = maxRecordsPerFetch;
            return this;
        }

        /** How long to wait after a call that returned nothing. Default 500 ms. */
        public Builder idleInterval(Duration idleInterval) {
            this.idleInterval = idleInterval;
            return this;
        }

        /** How many times a batch is processed before the failure policy applies. Default 3. */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The wait before a batch's second attempt; it doubles with each attempt after. Default 1 second. */
        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        /** What happens to a batch that failed every attempt. Default {@link FailurePolicy#HAND_OFF}. */
        public Builder failurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
            return this;
        }

        /** How records are read. Default {@link Retrieval#POLLING}. */
        public Builder retrieval(Retrieval retrieval) {
            this.retrieval = retrieval;
            return this;
        }

        /**
         * For {@link Retrieval#FAN_OUT}: the name of the stream consumer this application reads through, registered
         * on the stream when it has none of that name. All workers of one application give the same name; another
         * application reading the same stream gives another.
         */
        public Builder consumerName(@Nullable String consumerName) {
            this.consumerName = consumerName;
            return this;
        }

        /**
         * For {@link Retrieval#FAN_OUT}: the ARN of a stream consumer registered by infrastructure code, used instead
         * of finding or registering one by {@link #consumerName name}.
         */
        public Builder consumerArn(@Nullable String consumerArn) {
            this.consumerArn = consumerArn;
            return this;
        }

        /** @throws InvalidSettingException naming the first setting that is missing or out of range */
        public KinesisConsumerSettings build() {
            if (isBlank(streamName) && isBlank(streamArn)) {
                throw new InvalidSettingException("streamName", streamName, "set, or {streamArn} set");
            }
            require(initialPosition != null, "initialPosition", null, "set");
            require(checkpointMode != null, "checkpointMode", null, "set");
            require(failurePolicy != null, "failurePolicy", null, "set");
            require(checkpointEveryRecords >= 1, "checkpointEveryRecords", checkpointEveryRecords, "1 or more");
            requirePositive(checkpointEveryInterval, "checkpointEveryInterval");
            require(maxRecordsPerFetch >= 1 && maxRecordsPerFetch <= 10_000, "maxRecordsPerFetch", maxRecordsPerFetch,
                    "1 to 10,000");
            requirePositive(idleInterval, "idleInterval");
            require(maxAttempts >= 1, "maxAttempts", maxAttempts, "1 or more");
            requirePositive(retryBackoff, "retryBackoff");
            require(retrieval != null, "retrieval", null, "set");
            if (retrieval == Retrieval.FAN_OUT) {
                require(!isBlank(consumerName) || !isBlank(consumerArn), "consumerName", consumerName,
                        "set, or {consumerArn} set, when {retrieval} is fan-out");
                require(isBlank(consumerArn) || consumerArn.startsWith("arn:") && consumerArn.contains(":stream/")
                        && consumerArn.contains("/consumer/"), "consumerArn", consumerArn,
                        "a stream consumer's ARN (arn:...:stream/NAME/consumer/NAME:...)");
            }
            else {
                require(isBlank(consumerArn), "consumerArn", consumerArn, "unset unless {retrieval} is fan-out: "
                        + "only enhanced fan-out reads through a stream consumer");
            }
            return new KinesisConsumerSettings(isBlank(streamName) ? null : streamName, isBlank(streamArn) ? null : streamArn,
                    initialPosition, checkpointMode, checkpointEveryRecords, checkpointEveryInterval, maxRecordsPerFetch,
                    idleInterval, maxAttempts, retryBackoff, failurePolicy, retrieval,
                    isBlank(consumerName) ? null : consumerName, isBlank(consumerArn) ? null : consumerArn);
        }

        private static boolean isBlank(@Nullable String value) {
            return value == null || value.isBlank();
        }

        private static void requirePositive(@Nullable Duration value, String setting) {
            require(value != null && value.compareTo(Duration.ZERO) > 0, setting, value, "a positive duration");
        }

        private static void require(boolean condition, String setting, @Nullable Object value, String requirement) {
            if (!condition) {
                throw new InvalidSettingException(setting, value, requirement);
            }
        }
    }
}
