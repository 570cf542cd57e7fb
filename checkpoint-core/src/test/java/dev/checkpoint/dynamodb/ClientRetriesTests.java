package dev.checkpoint.dynamodb;

import static dev.checkpoint.StoreCalls.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.checkpoint.ShardStatus;
import dev.checkpoint.testsupport.FaultInjector;
import dev.checkpoint.testsupport.RequestCounter;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The checkpointer's retries are the only ones, whatever client it is given: a client that retries on its own has that
 * switched off on every request (a request-level plugin, which costs the SDK a copy of its configuration each time); a
 * client built without retries is left as it is, and saves that work.
 */
class ClientRetriesTests {

    @Test
    void aClientTellsWhetherItRetriesOnItsOwn() {
        TestDynamoDb server = TestDynamoDb.shared();
        assertThat(DynamoDbCalls.retriesOnItsOwn(server.newClient())).isTrue();
        assertThat(DynamoDbCalls.retriesOnItsOwn(withoutRetries(server))).isFalse();
        assertThat(DynamoDbCalls.retriesOnItsOwn(new DynamoDbClient() {
            @Override
            public String serviceName() {
                return "dynamodb";
            }

            @Override
            public void close() {
            }
        })).as("a client that cannot say").isTrue();
    }

    @ParameterizedTest(name = "client retries on its own: {0}")
    @ValueSource(booleans = { true, false })
    void throttledRequestsAreRetriedByTheCheckpointerAloneEveryAttemptARequestOfItsOwn(boolean clientRetries) {
        TestDynamoDb server = TestDynamoDb.shared();
        FaultInjector faults = new FaultInjector();
        RequestCounter requests = new RequestCounter();
        DynamoDbClient client = clientRetries ? server.newClient(requests, faults)
                : DynamoDbClient.builder().endpointOverride(server.endpoint()).region(server.region())
                        .credentialsProvider(server.credentials())
                        .overrideConfiguration(override -> override.executionInterceptors(List.of(requests, faults))
                                .retryStrategy(AwsRetryStrategy.doNotRetry()))
                        .build();
        DynamoDbCheckpointer checkpointer = Tables.initialised(Tables.checkpointer(client, Tables.newTableName(), "w",
                new ManualMonotonicClock()).retries(1));
        requests.reset();
        faults.throttleNext(1);

        take(checkpointer.leaseStore(), new ShardStatus("shard-1"));

        assertThat(requests.counts()).containsEntry("UpdateItem", 2);   // one throttled, one retry of ours
        faults.throttleNext(2);
        requests.reset();
        assertThatThrownBy(() -> take(checkpointer.leaseStore(), new ShardStatus("shard-2")))
                .hasMessageContaining("failed after 2 attempts");
        assertThat(requests.counts()).as("the client's own retries never add to ours").containsEntry("UpdateItem", 2);
    }

    private static DynamoDbClient withoutRetries(TestDynamoDb server) {
        return DynamoDbClient.builder().endpointOverride(server.endpoint()).region(server.region())
                .credentialsProvider(server.credentials())
                .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
    }
}
