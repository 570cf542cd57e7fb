package dev.checkpoint.autoconfigure.kinesis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import dev.checkpoint.kinesis.KinesisConsumer;
import dev.checkpoint.kinesis.CheckpointMode;
import dev.checkpoint.kinesis.FailurePolicy;
import dev.checkpoint.kinesis.Retrieval;
import org.jspecify.annotations.Nullable;
import dev.checkpoint.autoconfigure.AwsClientProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kinesis consumer: which stream, where to start, when to checkpoint, and what to do with a batch that fails; and
 * its own Kinesis client's endpoint, region and credentials, used when the application has no {@code KinesisClient}
 * bean.
 * The defaults are the consumer's own ({@code KinesisConsumerSettings}).
 */
@ConfigurationProperties("checkpoint.kinesis")
public class CheckpointKinesisProperties extends AwsClientProperties {

    /** Where a shard without a checkpoint is read from. */
    public enum InitialPosition {
        /** The oldest record the stream keeps. */
        TRIM_HORIZON,
        /** Only records put after the shard is first read. */
        LATEST,
        /** The first record put at or after checkpoint.kinesis.initial-timestamp. */
        AT_TIMESTAMP
    }

    /**
     * How records are read. "polling": GetRecords calls, at most 5 a second per shard, shared with every other polling
     * application of the stream. "fan-out": enhanced fan-out, a registered stream consumer to which Kinesis pushes each
     * shard's records over HTTP/2 (SubscribeToShard), 2 MB a second per shard for this application alone, about 70 ms
     * after the put; it costs a consumer-shard hour and a charge per GB.
     */
    private Retrieval retrieval = Retrieval.POLLING;

    /** Enhanced fan-out, with retrieval fan-out. */
    private final FanOut fanOut = new FanOut();

    /**
     * The stream's name. Required, unless checkpoint.kinesis.stream-arn is set.
     */
    private @Nullable String streamName;

    /**
     * The stream's ARN, which also names its account and region; used instead of the name when set.
     */
    private @Nullable String streamArn;

    /**
     * Where a shard without a checkpoint is read from. A child of a reshard whose parent was read
     * starts at its beginning under latest, so that no record after the reshard is skipped.
     */
    private InitialPosition initialPosition = InitialPosition.TRIM_HORIZON;

    /**
     * With initial-position at-timestamp: the time, such as 2026-11-29T08:00:00Z.
     */
    private @Nullable Instant initialTimestamp;

    /**
     * When progress is checkpointed: record, batch, periodic or manual (the processor checkpoints).
     */
    private CheckpointMode checkpointMode = CheckpointMode.BATCH;

    /**
     * With checkpoint-mode periodic: checkpoint after this many records.
     */
    private int checkpointEveryRecords = 1000;

    /**
     * With checkpoint-mode periodic: checkpoint after this long.
     */
    private Duration checkpointEveryInterval = Duration.ofSeconds(10);

    /**
     * The most records one GetRecords call returns, 1 to 10000.
     */
    private int maxRecordsPerFetch = 10_000;

    /**
     * How long to wait after a GetRecords call that returned nothing.
     */
    private Duration idleInterval = Duration.ofMillis(500);

    /**
     * How many times a batch is processed before the failure policy applies.
     */
    private int maxAttempts = 3;

    /**
     * The wait before a failed batch's second attempt; it doubles with each attempt after.
     */
    private Duration retryBackoff = Duration.ofSeconds(1);

    /**
     * What happens to a batch that failed every attempt: hand-off (the lease is released without a
     * checkpoint, and the batch is read again) or skip (logged, counted, and passed).
     */
    private FailurePolicy failurePolicy = FailurePolicy.HAND_OFF;

    /**
     * How many platform threads read the shards this instance holds, in turns: a shard holds one while a read and the
     * processing of what it returned are under way, none between reads, so the threads do not grow with the shards.
     * Size it to the reads under way at once (reads a second times the time a read and its processing take); reads
     * waiting for a thread show as "queued" under readerThreads in the kinesis health component. A quarter as many
     * (at least 4) write the checkpoints, one write in flight per shard at most. The starter's own Kinesis client has a
     * connection for each, and two for the shard listing. With spring.threads.virtual.enabled each read has a virtual
     * thread of its own instead, and this bounds only the client's connections.
     */
    private int readerThreads = KinesisConsumer.DEFAULT_READER_THREADS;

    /** Connections of the starter's own Kinesis client beside the readers': the shard listing's. */
    static final int LISTING_CONNECTIONS = 2;

    /**
     * The lag above which the kinesis health component is DOWN: a shard this instance reads further behind the
     * stream's tip than this. Unset: the lag is shown, and never makes the component DOWN.
     */
    private @Nullable Duration maxLag;

    /**
     * How long a shard's reads, or the stream's listing, may keep failing (throttled, refused, unanswered) before the
     * kinesis health component is DOWN. A stream that does not exist makes it DOWN at once.
     */
    private Duration maxReadFailure = Duration.ofMinutes(1);

    public int getReaderThreads() {
        return readerThreads;
    }

    /** The connections of the starter's own Kinesis client: one for every reader thread, two for the shard listing. */
    int clientConnections() {
        return Math.max(1, readerThreads) + LISTING_CONNECTIONS;
    }

    public void setReaderThreads(int readerThreads) {
        this.readerThreads = readerThreads;
    }

    public Retrieval getRetrieval() {
        return retrieval;
    }

    public void setRetrieval(Retrieval retrieval) {
        this.retrieval = retrieval;
    }

    public FanOut getFanOut() {
        return fanOut;
    }

    /** Enhanced fan-out: the stream consumer read through, and the endpoint of the consumer's own HTTP/2 client. */
    public static class FanOut {

        /**
         * The stream consumer to read through, registered on the stream when it has none of that name (and never
         * deregistered). Every instance of one application gives the same name. Defaults to checkpoint.consumer-group,
         * else the lease table's name.
         */
        private @Nullable String consumerName;

        /**
         * The ARN of a stream consumer registered by infrastructure code, used instead of finding or registering one
         * by name.
         */
        private @Nullable String consumerArn;

        /**
         * The HTTPS endpoint SubscribeToShard is sent to, when the consumer builds its own async client (the
         * application has no KinesisAsyncClient bean). Defaults to checkpoint.kinesis.endpoint, else the SDK's.
         */
        private @Nullable URI endpoint;

        public @Nullable String getConsumerName() {
            return consumerName;
        }

        public void setConsumerName(@Nullable String consumerName) {
            this.consumerName = consumerName;
        }

        public @Nullable String getConsumerArn() {
            return consumerArn;
        }

        public void setConsumerArn(@Nullable String consumerArn) {
            this.consumerArn = consumerArn;
        }

        public @Nullable URI getEndpoint() {
            return endpoint;
        }

        public void setEndpoint(@Nullable URI endpoint) {
            this.endpoint = endpoint;
        }
    }

    public @Nullable String getStreamName() {
        return streamName;
    }

    public void setStreamName(@Nullable String streamName) {
        this.streamName = streamName;
    }

    public @Nullable String getStreamArn() {
        return streamArn;
    }

    public void setStreamArn(@Nullable String streamArn) {
        this.streamArn = streamArn;
    }

    public InitialPosition getInitialPosition() {
        return initialPosition;
    }

    public void setInitialPosition(InitialPosition initialPosition) {
        this.initialPosition = initialPosition;
    }

    public @Nullable Instant getInitialTimestamp() {
        return initialTimestamp;
    }

    public void setInitialTimestamp(@Nullable Instant initialTimestamp) {
        this.initialTimestamp = initialTimestamp;
    }

    public CheckpointMode getCheckpointMode() {
        return checkpointMode;
    }

    public void setCheckpointMode(CheckpointMode checkpointMode) {
        this.checkpointMode = checkpointMode;
    }

    public int getCheckpointEveryRecords() {
        return checkpointEveryRecords;
    }

    public void setCheckpointEveryRecords(int checkpointEveryRecords) {
        this.checkpointEveryRecords = checkpointEveryRecords;
    }

    public Duration getCheckpointEveryInterval() {
        return checkpointEveryInterval;
    }

    public void setCheckpointEveryInterval(Duration checkpointEveryInterval) {
        this.checkpointEveryInterval = checkpointEveryInterval;
    }

    public int getMaxRecordsPerFetch() {
        return maxRecordsPerFetch;
    }

    public void setMaxRecordsPerFetch(int maxRecordsPerFetch) {
        this.maxRecordsPerFetch = maxRecordsPerFetch;
    }

    public Duration getIdleInterval() {
        return idleInterval;
    }

    public void setIdleInterval(Duration idleInterval) {
        this.idleInterval = idleInterval;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public FailurePolicy getFailurePolicy() {
        return failurePolicy;
    }

    public void setFailurePolicy(FailurePolicy failurePolicy) {
        this.failurePolicy = failurePolicy;
    }

    public @Nullable Duration getMaxLag() {
        return maxLag;
    }

    public void setMaxLag(@Nullable Duration maxLag) {
        this.maxLag = maxLag;
    }

    public Duration getMaxReadFailure() {
        return maxReadFailure;
    }

    public void setMaxReadFailure(Duration maxReadFailure) {
        this.maxReadFailure = maxReadFailure;
    }
}
