package dev.checkpoint.dynamodb;

import static dev.checkpoint.StoreCalls.take;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CancellationException;

import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Every failure of a call becomes this library's exception, not only the SDK's own: a {@link CancellationException}
 * came raw out of {@code init()} under load before. A client double throws what a real client may throw besides
 * {@code SdkException}.
 */
class UnexpectedFailuresTests {

    private final DynamoDbClient failing = new DynamoDbClient() {
        @Override
        public DescribeTableResponse describeTable(DescribeTableRequest request) {
            throw new CancellationException("the request's future was cancelled");
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            throw new IllegalStateException("Connection pool shut down");
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    };

    private final DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(failing)
            .tableName("leases").workerId("worker").build();

    @Test
    void aCancelledRequestInInitIsACheckpointStoreException() {
        assertThatThrownBy(checkpointer::init).isInstanceOf(CheckpointStoreException.class)
                .hasMessageContaining("table leases").hasCauseInstanceOf(CancellationException.class);
    }

    @Test
    void aClosedClientInATakeIsACheckpointStoreException() {
        assertThatThrownBy(() -> take(checkpointer.leaseStore(), new ShardStatus("shard-1")))
                .isInstanceOf(CheckpointStoreException.class).hasCauseInstanceOf(IllegalStateException.class);
    }
}
