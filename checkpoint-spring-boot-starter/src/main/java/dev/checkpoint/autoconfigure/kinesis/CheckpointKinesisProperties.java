package dev.checkpoint.autoconfigure.kinesis;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import dev.checkpoint.kinesis.CheckpointMode;
import dev.checkpoint.kinesis.FailurePolicy;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Kinesis consumer: which stream, where to start, when to checkpoint, and what to do with a batch that fails.
 * Unset values take the consumer's defaults, given here.
 */
@ConfigurationProperties("checkpoint.kinesis")
public class CheckpointKinesisProperties {

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
     * The stream's name. Required, unless checkpoint.kinesis.stream-arn is set.
     */
    private @Nullable String streamName;

    /**
     * The stream's ARN, which also names its account and region; used instead of the name when set.
     */
    private @Nullable String streamArn;

    /**
     * Where a shard without a checkpoint is read from. Default trim-horizon. A child of a reshard whose parent was read
     * starts at its beginning under latest, so that no record after the reshard is skipped.
     */
    private @Nullable InitialPosition initialPosition;

    /**
     * With initial-position at-timestamp: the time, such as 2026-11-29T08:00:00Z.
     */
    private @Nullable Instant initialTimestamp;

    /**
     * When progress is checkpointed: record, batch (the default), periodic or manual (the processor checkpoints).
     */
    private @Nullable CheckpointMode checkpointMode;

    /**
     * With checkpoint-mode periodic: checkpoint after this many records. Default 1000.
     */
    private @Nullable Integer checkpointEveryRecords;

    /**
     * With checkpoint-mode periodic: checkpoint after this long. Default 10s.
     */
    private @Nullable Duration checkpointEveryInterval;

    /**
     * The most records one GetRecords call returns, 1 to 10000. Default 10000.
     */
    private @Nullable Integer maxRecordsPerFetch;

    /**
     * How long to wait after a GetRecords call that returned nothing. Default 500ms.
     */
    private @Nullable Duration idleInterval;

    /**
     * How many times a batch is processed before the failure policy applies. Default 3.
     */
    private @Nullable Integer maxAttempts;

    /**
     * The wait before a failed batch's second attempt; it doubles with each attempt after. Default 1s.
     */
    private @Nullable Duration retryBackoff;

    /**
     * What happens to a batch that failed every attempt: hand-off (the default: the lease is released without a
     * checkpoint, and the batch is read again) or skip (logged, counted, and passed).
     */
    private @Nullable FailurePolicy failurePolicy;

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

    /**
     * Kinesis endpoint, for a local server; only without an application KinesisClient bean.
     */
    private @Nullable URI endpoint;

    /**
     * AWS region of the consumer's own Kinesis client; only without an application KinesisClient bean.
     */
    private @Nullable String region;

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

    public @Nullable InitialPosition getInitialPosition() {
        return initialPosition;
    }

    public void setInitialPosition(@Nullable InitialPosition initialPosition) {
        this.initialPosition = initialPosition;
    }

    public @Nullable Instant getInitialTimestamp() {
        return initialTimestamp;
    }

    public void setInitialTimestamp(@Nullable Instant initialTimestamp) {
        this.initialTimestamp = initialTimestamp;
    }

    public @Nullable CheckpointMode getCheckpointMode() {
        return checkpointMode;
    }

    public void setCheckpointMode(@Nullable CheckpointMode checkpointMode) {
        this.checkpointMode = checkpointMode;
    }

    public @Nullable Integer getCheckpointEveryRecords() {
        return checkpointEveryRecords;
    }

    public void setCheckpointEveryRecords(@Nullable Integer checkpointEveryRecords) {
        this.checkpointEveryRecords = checkpointEveryRecords;
    }

    public @Nullable Duration getCheckpointEveryInterval() {
        return checkpointEveryInterval;
    }

    public void setCheckpointEveryInterval(@Nullable Duration checkpointEveryInterval) {
        this.checkpointEveryInterval = checkpointEveryInterval;
    }

    public @Nullable Integer getMaxRecordsPerFetch() {
        return maxRecordsPerFetch;
    }

    public void setMaxRecordsPerFetch(@Nullable Integer maxRecordsPerFetch) {
        this.maxRecordsPerFetch = maxRecordsPerFetch;
    }

    public @Nullable Duration getIdleInterval() {
        return idleInterval;
    }

    public void setIdleInterval(@Nullable Duration idleInterval) {
        this.idleInterval = idleInterval;
    }

    public @Nullable Integer getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(@Nullable Integer maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public @Nullable Duration getRetryBackoff() {
        return retryBackoff;
    }

    public void setRetryBackoff(@Nullable Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    public @Nullable FailurePolicy getFailurePolicy() {
        return failurePolicy;
    }

    public void setFailurePolicy(@Nullable FailurePolicy failurePolicy) {
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

    public @Nullable URI getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(@Nullable URI endpoint) {
        this.endpoint = endpoint;
    }

    public @Nullable String getRegion() {
        return region;
    }

    public void setRegion(@Nullable String region) {
        this.region = region;
    }
}
