package dev.checkpoint.dynamodb;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.InvalidSettingException;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;

/** The checks of a {@link DynamoDbCheckpointer.Builder}'s settings, each failure naming the setting. */
final class BuilderValidation {

    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    private BuilderValidation() {
    }

    /** @throws InvalidSettingException naming the first setting that is missing or out of range */
    static void validate(DynamoDbCheckpointer.Builder b) {
        require(b.dynamoDbClient != null, "dynamoDbClient", null, "set");
        require(b.tableName != null && TABLE_NAME.matcher(b.tableName).matches(), "tableName", b.tableName,
                "3 to 255 characters of a-z, A-Z, 0-9, '_', '.' and '-'");
        require(b.workerId != null && !b.workerId.isBlank(), "workerId", b.workerId, "set and not blank");
        requirePositive(b.leaseDuration, "leaseDuration");
        require(b.retries >= 0, "retries", b.retries, "0 or more");
        requirePositive(b.requestTimeout(), "requestTimeout");
        require(b.requestTimeout().compareTo(b.leaseDuration) < 0, "requestTimeout", b.requestTimeout,
                "shorter than {leaseDuration} (" + b.leaseDuration + "), or a renewal could outlast the lease it renews");
        if (b.claimTimeout != null) {
            requirePositive(b.claimTimeout, "claimTimeout");
        }
        if (b.billingMode == BillingMode.PROVISIONED) {
            require(b.readCapacity > 0, "readCapacity", b.readCapacity, "positive for provisioned capacity");
            require(b.writeCapacity > 0, "writeCapacity", b.writeCapacity, "positive for provisioned capacity");
        }
        requirePositive(b.tableActiveTimeout, "tableActiveTimeout");
        require(b.tableOptions != null, "tableOptions", null, "set");
        require(b.scanPageSize == null || b.scanPageSize > 0, "scanPageSize", b.scanPageSize, "positive");
        require(b.consumerGroup == null || (!b.consumerGroup.isBlank()
                && b.consumerGroup.getBytes(StandardCharsets.UTF_8).length <= CheckpointConstants.MAX_SHARD_ID_BYTES),
                "consumerGroup", b.consumerGroup, "not blank, and at most 2048 bytes of UTF-8 (a partition key)");
        require(b.renewalMode != null, "renewalMode", null, "set");
        require(b.clock != null, "clock", null, "set");
        require(b.monotonicClock != null, "monotonicClock", null, "set");
        require(b.listener != null, "listener", null, "set");
    }

    private static void requirePositive(Duration value, String setting) {
        require(value != null && value.compareTo(Duration.ZERO) > 0, setting, value, "a positive duration");
    }

    private static void require(boolean condition, String setting, Object value, String requirement) {
        if (!condition) {
            throw new InvalidSettingException(setting, value, requirement);
        }
    }
}
