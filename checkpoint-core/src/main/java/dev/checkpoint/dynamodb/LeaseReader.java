package dev.checkpoint.dynamodb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.Lease;
import dev.checkpoint.MalformedLeaseException;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import org.jspecify.annotations.Nullable;

/** Consistent reads of the lease table. Every lease read is recorded in the observations. */
final class LeaseReader {

    private static final Logger log = LoggerFactory.getLogger(LeaseReader.class);

    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final String tableName;
    private final Integer scanPageSize;
    private final LeaseObservations observations;
    private final ScanAndRenewalAges ages;

    LeaseReader(DynamoDbClient client, DynamoDbCalls calls, String tableName, Integer scanPageSize,
            LeaseObservations observations, ScanAndRenewalAges ages) {
        this.ages = ages;
        this.client = client;
        this.calls = calls;
        this.tableName = tableName;
        this.scanPageSize = scanPageSize;
        this.observations = observations;
    }

    /**
     * The shard's row as now observed, or {@code null} when there is none. One consistent GetItem.
     *
     * @throws MalformedLeaseException when the row cannot be read
     */
    @Nullable Observation read(String shardId) {
        GetItemRequest request = GetItemRequest.builder()
                .tableName(tableName)
                .key(LeaseSerializer.key(shardId))
                .consistentRead(true)
                .overrideConfiguration(calls.requestOverrides())
                .build();
        Map<String, AttributeValue> item = calls.execute(CheckpointOperation.READ_LEASE, shardId, () -> client.getItem(request)).item();
        if (item == null || item.isEmpty()) {
            observations.forget(shardId);
            return null;
        }
        return observations.observe(LeaseSerializer.toLease(item), LeaseSerializer.timeoutText(item),
                LeaseSerializer.ownerBlank(item));
    }

    /** Every readable row, by shard id; a consistent scan, page by page. Malformed rows are skipped with a warning. */
    List<Lease> scan() {
        List<Lease> leases = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        do {
            ScanRequest request = ScanRequest.builder()
                    .tableName(tableName)
                    .consistentRead(true)
                    .limit(scanPageSize)
                    .exclusiveStartKey(startKey)
                    .overrideConfiguration(calls.requestOverrides())
                    .build();
            ScanResponse page = calls.execute(CheckpointOperation.SCAN_LEASES, null, () -> client.scan(request));
            for (Map<String, AttributeValue> item : page.items()) {
                try {
                    Lease lease = LeaseSerializer.toLease(item);
                    observations.observe(lease, LeaseSerializer.timeoutText(item), LeaseSerializer.ownerBlank(item));
                    leases.add(lease);
                }
                catch (MalformedLeaseException malformed) {
                    log.warn("Skipping a row of lease table {}: {}", tableName, malformed.getMessage());
                }
            }
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        }
        while (startKey != null);
        ages.scanned();
        leases.sort(Comparator.comparing(Lease::shardId));
        return leases;
    }
}
