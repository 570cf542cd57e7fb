package dev.checkpoint.dynamodb;

import java.time.Duration;

import dev.checkpoint.testsupport.TestDynamoDb;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Fresh lease tables and checkpointers on the test server. */
final class Tables {

    static final Duration LEASE = Duration.ofSeconds(10);

    private Tables() {
    }

    static DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return TestDynamoDb.shared().newClient(interceptors);
    }

    static String newTableName() {
        return TestDynamoDb.uniqueTableName("leases");
    }

    /** A checkpointer on {@code table} whose time moves only with {@code clock}; it does not wait between retries. */
    static DynamoDbCheckpointer.Builder checkpointer(DynamoDbClient client, String table, String workerId,
            ManualMonotonicClock clock) {
        return DynamoDbCheckpointer.builder()
                .dynamoDbClient(client)
                .tableName(table)
                .workerId(workerId)
                .leaseDuration(LEASE)
                .monotonicClock(clock)
                .sleeper(duration -> { })
                .random(() -> 0.5);
    }

    /** Creates {@code table} and returns the checkpointer that created it. */
    static DynamoDbCheckpointer initialised(DynamoDbCheckpointer.Builder builder) {
        DynamoDbCheckpointer checkpointer = builder.build();
        checkpointer.init();
        return checkpointer;
    }
}
