package dev.checkpoint.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import dev.checkpoint.CheckpointConstants;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/** Fills lease tables for the listing benchmarks, 25 rows a request. */
final class LeaseRows {

    private LeaseRows() {
    }

    /** A row as our checkpointer (and the Go library) writes it: owned, with a checkpoint. */
    static Map<String, AttributeValue> ours(int i) {
        return Map.of(CheckpointConstants.LEASE_KEY_KEY, AttributeValue.fromS(String.format("shardId-%012d", i)),
                CheckpointConstants.LEASE_OWNER_KEY, AttributeValue.fromS("worker-" + (i % 8)),
                CheckpointConstants.LEASE_TIMEOUT_KEY, AttributeValue.fromS("2026-11-28T12:00:00Z"),
                CheckpointConstants.SEQUENCE_NUMBER_KEY, AttributeValue.fromS("49590338271490256608559692538361571095921575989136588898"),
                CheckpointConstants.LEASE_COUNTER_KEY, AttributeValue.fromN(Integer.toString(i)));
    }

    static void fill(DynamoDbClient client, String table, int rows, IntFunction<Map<String, AttributeValue>> row) {
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(row.apply(i)).build()).build());
            if (batch.size() == 25 || i == rows - 1) {
                Map<String, List<WriteRequest>> unprocessed = Map.of(table, List.copyOf(batch));
                while (!unprocessed.isEmpty()) {
                    Map<String, List<WriteRequest>> request = unprocessed;
                    unprocessed = client.batchWriteItem(write -> write.requestItems(request)).unprocessedItems();
                }
                batch.clear();
            }
        }
    }
}
