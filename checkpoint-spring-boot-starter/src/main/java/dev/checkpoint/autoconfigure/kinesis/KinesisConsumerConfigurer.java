package dev.checkpoint.autoconfigure.kinesis;


import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.autoconfigure.InvalidCheckpointPropertyException;
import dev.checkpoint.autoconfigure.SettingProperties;
import dev.checkpoint.kinesis.InitialPosition;
import dev.checkpoint.kinesis.KinesisConsumerSettings;
import dev.checkpoint.kinesis.Retrieval;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.PropertyMapper;

/**
 * The consumer's settings from {@code checkpoint.kinesis.*}. The settings' builder checks the values; what it refuses
 * stops start-up naming the property. Only what it cannot know is checked here: a timestamp for at-timestamp.
 */
final class KinesisConsumerConfigurer {

    /** Each setting's property. */
    private static final SettingProperties PROPERTIES = SettingProperties.under("checkpoint.kinesis", "streamName",
            "streamArn", "initialPosition", "checkpointMode", "checkpointEveryRecords", "checkpointEveryInterval",
            "maxRecordsPerFetch", "idleInterval", "maxAttempts", "retryBackoff", "failurePolicy", "retrieval")
            .and("checkpoint.kinesis.fan-out", "consumerName", "consumerArn");

    private KinesisConsumerConfigurer() {
    }

    /**
     * @param defaultConsumerName the fan-out consumer's name when {@code checkpoint.kinesis.fan-out.consumer-name} is
     *        not set: the consumer group, else the lease table's name
     */
    static KinesisConsumerSettings settings(CheckpointKinesisProperties properties, @Nullable String defaultConsumerName) {
        KinesisConsumerSettings.Builder builder = KinesisConsumerSettings.builder();
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getStreamName).to(builder::streamName);
        map.from(properties::getStreamArn).to(builder::streamArn);
        map.from(properties::getInitialPosition).as(position -> initialPosition(position, properties))
                .to(builder::initialPosition);
        map.from(properties::getCheckpointMode).to(builder::checkpointMode);
        map.from(properties::getCheckpointEveryRecords).to(builder::checkpointEveryRecords);
        map.from(properties::getCheckpointEveryInterval).to(builder::checkpointEveryInterval);
        map.from(properties::getMaxRecordsPerFetch).to(builder::maxRecordsPerFetch);
        map.from(properties::getIdleInterval).to(builder::idleInterval);
        map.from(properties::getMaxAttempts).to(builder::maxAttempts);
        map.from(properties::getRetryBackoff).to(builder::retryBackoff);
        map.from(properties::getFailurePolicy).to(builder::failurePolicy);
        map.from(properties::getRetrieval).to(builder::retrieval);
        String consumerArn = properties.getFanOut().getConsumerArn();
        builder.consumerArn(consumerArn);
        if (properties.getRetrieval() == Retrieval.FAN_OUT) {
            String consumerName = properties.getFanOut().getConsumerName();
            builder.consumerName(consumerName != null || consumerArn != null ? consumerName : defaultConsumerName);
        }
        try {
            return builder.build();
        }
        catch (InvalidSettingException invalid) {
            throw InvalidCheckpointPropertyException.of(invalid, propertyOf(invalid.getSetting()),
                    KinesisConsumerConfigurer::propertyOf);
        }
    }

    private static InitialPosition initialPosition(CheckpointKinesisProperties.InitialPosition position,
            CheckpointKinesisProperties properties) {
        return switch (position) {
            case TRIM_HORIZON -> InitialPosition.trimHorizon();
            case LATEST -> InitialPosition.latest();
            case AT_TIMESTAMP -> {
                if (properties.getInitialTimestamp() == null) {
                    throw new InvalidCheckpointPropertyException("checkpoint.kinesis.initial-timestamp", null,
                            "must be set when checkpoint.kinesis.initial-position is at-timestamp",
                            "Set checkpoint.kinesis.initial-timestamp to a time such as 2026-11-29T08:00:00Z.");
                }
                yield InitialPosition.atTimestamp(properties.getInitialTimestamp());
            }
        };
    }

    private static String propertyOf(String setting) {
        return PROPERTIES.apply(setting);
    }
}
