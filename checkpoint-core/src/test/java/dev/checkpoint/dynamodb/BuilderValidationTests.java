package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;
import java.util.function.UnaryOperator;

import dev.checkpoint.InvalidSettingException;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Bad arguments get an {@link InvalidSettingException} (an IllegalArgumentException) that names the setting. */
class BuilderValidationTests {

    private static final DynamoDbClient CLIENT = DynamoDbClient.builder().region(Region.US_EAST_1).build();

    private static DynamoDbCheckpointer.Builder valid() {
        return DynamoDbCheckpointer.builder().dynamoDbClient(CLIENT).tableName("leases").workerId("worker");
    }

    @Test
    void validSettingsBuild() {
        assertThatNoException().isThrownBy(() -> valid().build());
        assertThatNoException().isThrownBy(() -> valid().tableName("a.B-c_9").retries(0).provisioned(1, 1).build());
    }

    @ParameterizedTest
    @ValueSource(strings = { "ab", "has space", "slash/name", "ünïcode", "" })
    void tableNamesDynamoDbWouldRejectAreRefused(String name) {
        refused(builder -> builder.tableName(name), "tableName must be 3 to 255 characters");
    }

    @Test
    void tooLongAndNullTableNamesAreRefused() {
        refused(builder -> builder.tableName("t".repeat(256)), "tableName");
        refused(builder -> builder.tableName(null), "tableName");
    }

    @Test
    void blankWorkerIdIsRefused() {
        refused(builder -> builder.workerId(" "), "workerId must be set and not blank");
        refused(builder -> builder.workerId(null), "workerId");
    }

    @Test
    void missingClientIsRefused() {
        refused(builder -> builder.dynamoDbClient(null), "dynamoDbClient must be set");
    }

    @Test
    void nonPositiveDurationsAreRefused() {
        refused(builder -> builder.leaseDuration(Duration.ZERO), "leaseDuration must be a positive duration, was PT0S");
        refused(builder -> builder.leaseDuration(Duration.ofSeconds(-1)), "leaseDuration must be a positive duration");
        refused(builder -> builder.leaseDuration(null), "leaseDuration must be a positive duration, was null");
        refused(builder -> builder.requestTimeout(Duration.ZERO), "requestTimeout must be a positive duration");
        refused(builder -> builder.claimTimeout(Duration.ZERO), "claimTimeout must be a positive duration");
        refused(builder -> builder.tableActiveTimeout(Duration.ZERO), "tableActiveTimeout must be a positive duration");
    }

    @Test
    void aRequestTimeoutAsLongAsTheLeaseIsRefusedAndTheDefaultStaysBelowAShortLease() {
        refused(builder -> builder.leaseDuration(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(2)),
                "requestTimeout must be shorter than leaseDuration (PT2S)");
        // the default of 2 s becomes half of a 1 s lease instead of refusing it
        assertThatNoException().isThrownBy(() -> valid().leaseDuration(Duration.ofSeconds(1)).build());
    }

    @Test
    void theErrorNamesTheSettingAndRendersOtherSettingsByTheCallersNames() {
        assertThatThrownBy(() -> valid().leaseDuration(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(3)).build())
                .isInstanceOfSatisfying(InvalidSettingException.class, invalid -> {
                    assertThat(invalid.getSetting()).isEqualTo("requestTimeout");
                    assertThat(invalid.getValue()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(invalid.getRequirement(name -> "my." + name)).startsWith("shorter than my.leaseDuration (PT2S)");
                });
    }

    @Test
    void negativeRetriesAreRefused() {
        refused(builder -> builder.retries(-1), "retries must be 0 or more, was -1");
    }

    @Test
    void provisionedWithoutCapacityIsRefused() {
        refused(builder -> builder.provisioned(0, 5), "readCapacity must be positive for provisioned capacity, was 0");
        refused(builder -> builder.provisioned(5, -1), "writeCapacity must be positive for provisioned capacity, was -1");
    }

    @Test
    void nonPositiveScanPageSizeIsRefused() {
        refused(builder -> builder.scanPageSize(0), "scanPageSize must be positive");
    }

    @Test
    void blankIdsInCallsAreRefused() {
        DynamoDbCheckpointer checkpointer = valid().build();

        assertThatThrownBy(() -> new ShardStatus(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shard id");
        assertThatThrownBy(() -> checkpointer.getLease(new ShardStatus("s"), "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("newAssignTo");
        assertThatThrownBy(() -> checkpointer.removeLeaseOwner(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shardId");
        assertThatThrownBy(() -> checkpointer.claimShard(new ShardStatus("s"), " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("claimId");
        assertThatThrownBy(() -> checkpointer.checkpointSequence(new ShardStatus("s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no checkpoint");
    }

    private static void refused(UnaryOperator<DynamoDbCheckpointer.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(message);
    }
}
