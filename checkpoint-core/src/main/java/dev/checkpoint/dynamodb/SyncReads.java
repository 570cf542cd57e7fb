package dev.checkpoint.dynamodb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Lease;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import dev.checkpoint.dynamodb.LeaseReader.TableRows;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Worker renewal mode's syncs, whose reads do not grow with the table. Every worker says at its heartbeat how many
 * times it has changed which leases it holds or which rows there are; a worker joining or leaving, or an operator
 * resetting a free lease, moves the table's changes on the mode row. A sync reads only those rows (a Query of the
 * rows whose key starts with {@code #} in a shared table; a BatchGetItem of the mode row and the known workers'
 * heartbeats in the Go layout) and scans the whole table only when one of them moved since the last full scan, or when
 * an owner seems gone. Otherwise the sync works on the rows as this worker last read and wrote them, and reads one page
 * more of a rotating read of the table, so that rows changed by hand are found all the same: a tenth of the table a
 * sync (the whole every {@link #FULL_SCAN_EVERY} syncs, as before), but never more than {@link #MAX_ROWS_PER_SYNC}
 * rows, so that the reads of a sync do not grow with the table. A table of more than
 * {@code FULL_SCAN_EVERY × MAX_ROWS_PER_SYNC} rows is read whole by each worker every {@code rows / MAX_ROWS_PER_SYNC}
 * syncs. A full scan starts the rotating read again from the first row.
 *
 * <p>That is only a hint: no decision rests on it alone. A take on a stale view fails on its condition and reads the
 * row again, as it would after any full scan.
 */
final class SyncReads {

    private static final Logger log = LoggerFactory.getLogger(SyncReads.class);

    /** The rotating read covers the table in so many syncs, as long as a page stays within {@link #MAX_ROWS_PER_SYNC}. */
    static final int FULL_SCAN_EVERY = 10;
    /** The most rows a quiet sync reads beside the heartbeats. */
    static final int MAX_ROWS_PER_SYNC = 100;
    private static final int BATCH_GET_LIMIT = 100;
    private static final int UNPROCESSED_ATTEMPTS = 5;

    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final String tableName;
    private final LeaseKeys keys;
    private final LeaseReader reader;
    private final LeaseObservations observations;
    private final WorkerHeartbeats heartbeats;
    private final ScanAndRenewalAges ages;
    private @Nullable Map<String, String> baseline;
    /** Where the rotating read goes on ({@code null}: from the first row), the rows it read so far, and since when. */
    private @Nullable Map<String, AttributeValue> cursor;
    private final Set<String> readThisPass = new HashSet<>();
    private long passStartNanos;

    SyncReads(TableClient table, LeaseReader reader, LeaseObservations observations, WorkerHeartbeats heartbeats,
            ScanAndRenewalAges ages) {
        this.client = table.client;
        this.calls = table.calls;
        this.tableName = table.tableName;
        this.keys = table.keys;
        this.reader = reader;
        this.observations = observations;
        this.heartbeats = heartbeats;
        this.ages = ages;
    }

    /** The rows for a sync: see the class comment. */
    synchronized List<Lease> read() {
        if (baseline == null) {
            return fullScan();
        }
        long sentAt = observations.now();
        TableRows rows = readTableRows();
        heartbeats.observeAll(rows.beats(), sentAt);
        Map<String, String> changes = rows.changes();
        if (!changes.equals(baseline)) {
            log.debug("Full scan of {}: the table changed (was {}, now {})", tableName, baseline, changes);
            return fullScan();
        }
        if (anyOwnerGone()) {
            log.debug("Full scan of {}: an owner seems gone", tableName);
            return fullScan();
        }
        readOnePage();
        ages.scanned();
        List<Lease> leases = new ArrayList<>();
        for (Observation seen : observations.all()) {
            leases.add(seen.lease());
        }
        leases.sort(Comparator.comparing(Lease::shardId));
        return leases;
    }

    /**
     * One page of the rotating read. At its end, the rows it did not meet and this worker has not seen since it began
     * are gone (deleted by hand): forgotten, as a full scan forgets them.
     */
    private void readOnePage() {
        if (cursor == null) {
            readThisPass.clear();
            passStartNanos = observations.now();
        }
        int rows = observations.all().size();
        int limit = Math.max(1, Math.min(MAX_ROWS_PER_SYNC, (rows + FULL_SCAN_EVERY - 1) / FULL_SCAN_EVERY));
        LeaseReader.LeasePage page = reader.readPage(cursor, limit);
        page.leases().forEach(lease -> readThisPass.add(lease.shardId()));
        cursor = page.next();
        if (cursor == null) {
            observations.forgetUnseenSince(readThisPass, passStartNanos);
        }
    }

    private List<Lease> fullScan() {
        List<Lease> leases = reader.scan();
        observations.retainOnly(leases.stream().map(Lease::shardId).collect(java.util.stream.Collectors.toSet()));
        TableRows rows = reader.lastTableRows();
        baseline = rows == null ? null : rows.changes();
        cursor = null;
        heartbeats.sweep(leases.stream().map(Lease::owner).filter(java.util.Objects::nonNull)
                .collect(java.util.stream.Collectors.toSet()));
        return leases;
    }

    /** Whether a lease seen has an owner that seems gone: its leases are to be taken, from a full view. */
    private boolean anyOwnerGone() {
        long now = observations.now();
        for (Observation seen : observations.all()) {
            if (observations.isExpired(seen, now)) {
                return true;
            }
        }
        return false;
    }

    private TableRows readTableRows() {
        TableRows rows = new TableRows();
        if (keys.isShared()) {
            queryTableRows(rows);
        }
        else {
            batchGetTableRows(rows);
        }
        return rows;
    }

    /** In a shared table: the group's rows whose key starts with {@code #}, one Query (a page per 1 MB). */
    private void queryTableRows(TableRows rows) {
        Map<String, AttributeValue> startKey = null;
        do {
            QueryRequest request = QueryRequest.builder().tableName(tableName)
                    .keyConditionExpression("#group = :group AND begins_with(#key, :own)")
                    .expressionAttributeNames(Map.of("#group", CheckpointConstants.CONSUMER_GROUP_KEY,
                            "#key", CheckpointConstants.LEASE_KEY_KEY))
                    .expressionAttributeValues(Map.of(":group", LeaseSerializer.string(keys.group()),
                            ":own", LeaseSerializer.string("#")))
                    .consistentRead(true).exclusiveStartKey(startKey)
                    .overrideConfiguration(calls.requestOverrides()).build();
            QueryResponse page = calls.execute(CheckpointOperation.READ_HEARTBEATS, null, () -> client.query(request));
            page.items().stream().filter(item -> HeartbeatRows.isNoLease(item.get(CheckpointConstants.LEASE_KEY_KEY).s()))
                    .forEach(rows::add);
            startKey = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        }
        while (startKey != null);
    }

    /** In the Go layout: the mode row and the heartbeat rows of the workers known, by key, a hundred at a time. */
    private void batchGetTableRows(TableRows rows) {
        List<Map<String, AttributeValue>> wanted = new ArrayList<>();
        wanted.add(keys.of(HeartbeatRows.MODE_ROW));
        heartbeats.knownWorkers().forEach(worker -> wanted.add(keys.of(HeartbeatRows.key(worker))));
        for (int from = 0; from < wanted.size(); from += BATCH_GET_LIMIT) {
            List<Map<String, AttributeValue>> batch = wanted.subList(from, Math.min(wanted.size(), from + BATCH_GET_LIMIT));
            Map<String, KeysAndAttributes> pending = Map.of(tableName,
                    KeysAndAttributes.builder().keys(batch).consistentRead(true).build());
            for (int attempt = 1; !pending.isEmpty(); attempt++) {
                if (attempt > UNPROCESSED_ATTEMPTS) {
                    throw new CheckpointStoreException(null, "the heartbeats of lease table " + tableName
                            + " could not all be read: DynamoDB left some unprocessed " + UNPROCESSED_ATTEMPTS + " times", null);
                }
                BatchGetItemRequest request = BatchGetItemRequest.builder().requestItems(pending)
                        .overrideConfiguration(calls.requestOverrides()).build();
                BatchGetItemResponse response = calls.execute(CheckpointOperation.READ_HEARTBEATS, null,
                        () -> client.batchGetItem(request));
                response.responses().getOrDefault(tableName, List.of()).forEach(rows::add);
                pending = response.hasUnprocessedKeys() ? new HashMap<>(response.unprocessedKeys()) : Map.of();
            }
        }
    }
}
