package dev.checkpoint.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import dev.checkpoint.RenewalMode;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Every bad configuration stops start-up, and the failure analysis that Spring Boot prints names the property
 * and what to do. The analyzers are loaded as Spring Boot loads them, from {@code META-INF/spring.factories}.
 */
class FailureAnalysisTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class))
            .withUserConfiguration(LocalDynamoDbProperties.Credentials.class)
            .withPropertyValues(LocalDynamoDbProperties.forFreshTable());

    @Test
    void zeroLeaseDuration() {
        FailureAnalysis analysis = analyse("checkpoint.lease-duration=0s");
        assertThat(analysis.getDescription()).isEqualTo(
                "Invalid value 'PT0S' for property 'checkpoint.lease-duration': must be a positive duration");
        assertThat(analysis.getAction()).isEqualTo("Set checkpoint.lease-duration to a value that is a positive duration.");
    }

    @Test
    void negativeLeaseDuration() {
        assertThat(analyse("checkpoint.lease-duration=-5s").getDescription()).contains("'checkpoint.lease-duration'");
    }

    @Test
    void requestTimeoutNotShorterThanTheLease() {
        FailureAnalysis analysis = analyse("checkpoint.lease-duration=2s", "checkpoint.request-timeout=2s");
        assertThat(analysis.getDescription()).contains("'checkpoint.request-timeout'").contains("shorter than checkpoint.lease-duration");
        assertThat(analysis.getAction()).contains("checkpoint.request-timeout");
    }

    @Test
    void negativeRetries() {
        FailureAnalysis analysis = analyse("checkpoint.retries=-1");
        assertThat(analysis.getDescription()).isEqualTo("Invalid value '-1' for property 'checkpoint.retries': must be 0 or more");
        assertThat(analysis.getAction()).contains("checkpoint.retries");
    }

    @Test
    void tableNameDynamoDbWouldReject() {
        FailureAnalysis analysis = analyse("checkpoint.table-name=my table!");
        assertThat(analysis.getDescription()).contains("'my table!'").contains("'checkpoint.table-name'")
                .contains("3 to 255 characters");
        assertThat(analysis.getAction()).contains("checkpoint.table-name");
    }

    @Test
    void applicationNameDynamoDbWouldReject() {
        FailureAnalysis analysis = analyse("checkpoint.table-name=", "spring.application.name=a");
        assertThat(analysis.getDescription()).contains("'spring.application.name'");
        assertThat(analysis.getAction()).contains("checkpoint.table-name");
    }

    @Test
    void unknownBillingMode() {
        FailureAnalysis analysis = analyse("checkpoint.billing-mode=on-demand");
        assertThat(analysis.getDescription()).contains("checkpoint.billing-mode").contains("on-demand");
        assertThat(analysis.getAction()).isEqualTo("Set checkpoint.billing-mode to one of: pay-per-request, provisioned.");
    }

    @Test
    void provisionedWithoutCapacities() {
        FailureAnalysis analysis = analyse("checkpoint.billing-mode=provisioned", "checkpoint.write-capacity=5");
        assertThat(analysis.getDescription()).contains("'checkpoint.read-capacity'").contains("provisioned billing");
        assertThat(analysis.getAction()).contains("checkpoint.read-capacity").contains("pay-per-request");
    }

    @Test
    void provisionedWithZeroCapacity() {
        FailureAnalysis analysis = analyse("checkpoint.billing-mode=provisioned", "checkpoint.read-capacity=5",
                "checkpoint.write-capacity=0");
        assertThat(analysis.getDescription())
                .isEqualTo("Invalid value '0' for property 'checkpoint.write-capacity': must be positive for provisioned capacity");
    }

    @Test
    void capacityWithPayPerRequest() {
        FailureAnalysis analysis = analyse("checkpoint.read-capacity=5");
        assertThat(analysis.getDescription()).contains("'checkpoint.read-capacity'");
        assertThat(analysis.getAction()).contains("checkpoint.billing-mode=provisioned");
    }

    @Test
    void missingTableWithCreationSwitchedOff() {
        FailureAnalysis analysis = analyse("checkpoint.create-table=false");
        assertThat(analysis.getDescription()).contains("does not exist").contains("checkpoint.create-table is false");
        assertThat(analysis.getAction()).contains("checkpoint.create-table=true").contains("ShardID");
    }

    @Test
    void tableWithAnotherKey() {
        DynamoDbClient client = TestDynamoDb.shared().newClient();
        client.createTable(create -> create.tableName("wrong-key-table").billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key -> key.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(attribute -> attribute.attributeName("id").attributeType(ScalarAttributeType.S)));

        FailureAnalysis analysis = analyse("checkpoint.table-name=wrong-key-table");
        assertThat(analysis.getDescription()).contains("wrong-key-table").contains("id (HASH, S)");
        assertThat(analysis.getAction()).contains("checkpoint.table-name");
    }

    @Test
    void unreachableEndpoint() {
        FailureAnalysis analysis = analyse("checkpoint.dynamodb.endpoint=http://127.0.0.1:9", "checkpoint.retries=1");
        assertThat(analysis.getDescription()).contains("could not use DynamoDB at http://127.0.0.1:9")
                .contains("failed after 2 attempts");
        assertThat(analysis.getAction()).contains("checkpoint.dynamodb.endpoint")
                .contains("checkpoint.table-initialization=deferred");
    }

    @Test
    void renewIntervalNotWellBelowTheLease() {
        FailureAnalysis analysis = analyseWithCoordinator("checkpoint.coordinator.renew-interval=5s");
        assertThat(analysis.getDescription()).contains("'checkpoint.coordinator.renew-interval'")
                .contains("below half of checkpoint.lease-duration");
        assertThat(analysis.getAction()).contains("checkpoint.coordinator.renew-interval");
    }

    @Test
    void negativeMaxLeasesToSteal() {
        assertThat(analyseWithCoordinator("checkpoint.coordinator.max-leases-to-steal-at-one-time=-1").getDescription())
                .contains("'checkpoint.coordinator.max-leases-to-steal-at-one-time'");
    }

    @Test
    void zeroMaxRenewalThreads() {
        assertThat(analyseWithCoordinator("checkpoint.coordinator.max-renewal-threads=0").getDescription())
                .contains("'checkpoint.coordinator.max-renewal-threads'");
    }

    @Test
    void zeroMaxLeasesForWorker() {
        assertThat(analyseWithCoordinator("checkpoint.coordinator.max-leases-for-worker=0").getDescription())
                .contains("'checkpoint.coordinator.max-leases-for-worker'");
    }

    @Test
    void zeroSyncInterval() {
        assertThat(analyseWithCoordinator("checkpoint.coordinator.sync-interval=0s").getDescription())
                .contains("'checkpoint.coordinator.sync-interval'");
    }

    @Test
    void accessKeyWithoutSecret() {
        FailureAnalysis analysis = analyse("checkpoint.dynamodb.access-key-id=AKIDEXAMPLE");
        assertThat(analysis.getDescription()).contains("'checkpoint.dynamodb.secret-access-key'")
                .contains("must be set when checkpoint.dynamodb.access-key-id is set");
        assertThat(analysis.getAction()).contains("or neither");
    }

    @Test
    void secretWithoutAccessKeyNeverShowsTheSecret() {
        FailureAnalysis analysis = analyse("checkpoint.dynamodb.secret-access-key=wJalrXUtnFEMIEXAMPLEKEY");
        assertThat(analysis.getDescription()).contains("'checkpoint.dynamodb.access-key-id'");
        assertThat(analysis.getDescription() + analysis.getAction() + analysis.getCause()).doesNotContain("wJalrXUtnFEMIEXAMPLEKEY");
    }

    @Test
    void blankWorkerId() {
        FailureAnalysis analysis = analyse("checkpoint.worker-id= ");
        assertThat(analysis.getDescription()).contains("'checkpoint.worker-id'");
    }

    @Test
    void aConsumerGroupBoundToAnotherStream() {
        String table = "shared-" + UUID.randomUUID().toString().substring(0, 8);
        DynamoDbCheckpointer first = DynamoDbCheckpointer.builder()
                .dynamoDbClient(TestDynamoDb.shared().newClient()).tableName(table).workerId("first").consumerGroup("orders")
                .build();
        first.init();
        first.leaseStore().bindStream("arn:stream/orders created 2026-01-01T00:00:00Z");
        ShardSource recreated = new ShardSource() {
            @Override
            public List<Shard> listShards() {
                return List.of();
            }

            @Override
            public String identity() {
                return "arn:stream/orders created 2026-11-29T08:00:00Z";
            }
        };

        FailureAnalysis analysis = analyse(contextRunner.withBean(ShardSource.class, () -> recreated)
                .withBean(LeaseListener.class, CoordinatorAutoConfigurationTests.Recorder::new),
                "checkpoint.table-name=" + table, "checkpoint.consumer-group=orders");

        assertThat(analysis.getDescription()).contains("consumer group orders").contains("2026-01-01T00:00:00Z")
                .contains("2026-11-29T08:00:00Z");
        assertThat(analysis.getAction()).contains("checkpoint.consumer-group");
    }

    @Test
    void aTableInWorkerRenewalModeAndAnApplicationInPerLeaseMode() {
        String table = "worker-mode-" + UUID.randomUUID().toString().substring(0, 8);
        DynamoDbCheckpointer worker = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient())
                .tableName(table).workerId("pod-0").renewalMode(RenewalMode.WORKER).build();
        worker.init();
        worker.leaseStore().register();

        FailureAnalysis analysis = analyseWithCoordinator("checkpoint.table-name=" + table);

        assertThat(analysis.getDescription()).contains("worker renewal mode").contains(table);
        assertThat(analysis.getAction()).contains("checkpoint.renewal-mode=worker");
    }

    @Test
    void unknownRenewalMode() {
        FailureAnalysis analysis = analyse("checkpoint.renewal-mode=sometimes");
        assertThat(analysis.getDescription())
                .isEqualTo("Invalid value 'sometimes' for property 'checkpoint.renewal-mode': it is none of lease, worker");
        assertThat(analysis.getAction()).isEqualTo("Set checkpoint.renewal-mode to one of: lease, worker.");
    }

    @Test
    void blankConsumerGroup() {
        assertThat(analyse("checkpoint.consumer-group= ").getDescription()).contains("'checkpoint.consumer-group'");
    }

    /** A coordinator's properties are checked when there is a coordinator: with a shard source and a listener. */
    private FailureAnalysis analyseWithCoordinator(String... properties) {
        return analyse(contextRunner.withBean(ShardSource.class, () -> List::of)
                .withBean(LeaseListener.class, CoordinatorAutoConfigurationTests.Recorder::new), properties);
    }

    private FailureAnalysis analyse(String... properties) {
        return analyse(contextRunner, properties);
    }

    private static FailureAnalysis analyse(ApplicationContextRunner runner, String... properties) {
        return FailureAnalyses.of(runner, properties);
    }
}
