package dev.checkpoint.dynamodb;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.Lease;
import dev.checkpoint.MalformedLeaseException;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import org.jspecify.annotations.Nullable;

/**
 * Consistent reads of the lease table. Every lease read is recorded in the observations; in worker renewal mode, every
 * heartbeat a scan reads, in the heartbeats. A worker in per-lease mode that meets the mode row of worker mode stops
 * its sync there.
 */
final class LeaseReader {

    private static final Logger log = LoggerFactory.getLogger(LeaseReader.class);

    private final DynamoDbClient client;
    private final DynamoDbCalls calls;
    private final String tableName;
    private final LeaseKeys keys;
    private final Integer scanPageSize;
    private final LeaseObservations observations;
    private final ScanAndRenewalAges ages;
    /** What the renewal mode makes of the table's own rows a scan reads: the heartbeats, the mode row. */
    private final TableRowsObserver tableRowsObserver;
    private volatile @Nullable TableRows lastTableRows;

    /** Told of the table's own rows each full scan read (sent at {@code sentAtNanos}), after the leases. */
    @FunctionalInterface
    interface TableRowsObserver {
        void observed(TableRows rows, long sentAtNanos);
    }

    LeaseReader(TableClient table, @Nullable Integer scanPageSize, LeaseObservations observations, ScanAndRenewalAges ages,
            TableRowsObserver tableRowsObserver) {
        this.tableRowsObserver = tableRowsObserver;
        this.ages = ages;
        this.client = table.client;
        this.calls = table.calls;
        this.tableName = table.tableName;
        this.keys = table.keys;
        this.scanPageSize = scanPageSize;
        this.observations = observations;
    }

    /**
     * The shard's row as now observed, or {@code null} when there is none. One consistent GetItem.
     *
     * @throws MalformedLeaseException when the row cannot be read
     */
    @Nullable Observation read(String shardId) {
        Map<String, AttributeValue> item = readItem(shardId);
        if (item == null) {
            observations.forget(shardId);
            return null;
        }
        return observations.observe(item);
    }

    /** The row of this key ({@code ShardID}: a shard's, or one of the table's own) as it is now, or {@code null}. */
    @Nullable Map<String, AttributeValue> readItem(String key) {
        GetItemRequest request = GetItemRequest.builder()
                .tableName(tableName)
                .key(keys.of(key))
                .consistentRead(true)
                .overrideConfiguration(calls.requestOverrides())
                .build();
        String shardId = HeartbeatRows.isNoLease(key) ? null : key;
        Map<String, AttributeValue> item = calls.execute(CheckpointOperation.READ_LEASE, shardId, () -> client.getItem(request)).item();
        return item == null || item.isEmpty() ? null : item;
    }

    /**
     * Every readable row of this worker's group, by shard id, page by page, consistently: a Scan of a table of one
     * group, a Query of the group's rows in a shared table (other groups' rows are never read). Malformed rows are
     * skipped with a warning.
     */
    List<Lease> scan() {
        List<Lease> leases = new ArrayList<>();
        TableRows special = new TableRows();
        long sentAt = observations.now();
        forEachLease(keys.isShared() ? this::query : this::scanPage, (item, lease) -> {
            observations.observe(lease, item);
            leases.add(lease);
        }, special::add);
        tableRowsObserver.observed(special, sentAt);
        lastTableRows = special;
        ages.scanned();
        leases.sort(Comparator.comparing(Lease::shardId));
        return leases;
    }

    /** One page of a rotating read: the leases on it, observed, and where the next page starts ({@code null}: over). */
    record LeasePage(List<Lease> leases, @Nullable Map<String, AttributeValue> next) {
    }

    /**
     * One page of the rows {@link #scan()} reads, from {@code startKey} ({@code null}: the first), of at most
     * {@code limit} rows: the leases observed, malformed rows skipped with a warning. Other rows (heartbeats, the mode
     * row) are passed over: the sync reads those whole.
     */
    LeasePage readPage(@Nullable Map<String, AttributeValue> startKey, int limit) {
        Page page = keys.isShared() ? query(startKey, limit, CheckpointOperation.READ_LEASES_PAGE)
                : scanPage(startKey, limit, CheckpointOperation.READ_LEASES_PAGE);
        List<Lease> leases = new ArrayList<>();
        for (Map<String, AttributeValue> item : page.items()) {
            try {
                if (!HeartbeatRows.isNoLease(shardIdOf(item))) {
                    Lease lease = LeaseSerializer.toLease(item);
                    observations.observe(lease, item);
                    leases.add(lease);
                }
            }
            catch (MalformedLeaseException malformed) {
                log.warn("Skipping a row of lease table {}: {}", tableName, malformed.getMessage());
            }
        }
        return new LeasePage(leases, page.lastEvaluatedKey());
    }

    /**
     * Every readable row of every group of a shared table, by group (the Go library's layout: one group, named
     * {@code ""}); for an operator's view. A paginated Scan of the whole table.
     */
    Map<String, List<Lease>> scanEveryGroup() {
        Map<String, List<Lease>> byGroup = new TreeMap<>();
        forEachLease(this::scanPage, (item, lease) -> {
            AttributeValue group = item.get(CheckpointConstants.CONSUMER_GROUP_KEY);
            byGroup.computeIfAbsent(group == null || group.s() == null ? "" : group.s(), name -> new ArrayList<>()).add(lease);
        }, item -> { });
        byGroup.values().forEach(leases -> leases.sort(Comparator.comparing(Lease::shardId)));
        return byGroup;
    }

    /**
     * Reads every page {@code pages} gives, from the first, and hands each lease row to {@code each} with its item, and
     * every other row (a group's own row, the table's mode, a worker's heartbeat: keys that start with {@code #}) to
     * {@code others}. A malformed row is skipped with a warning.
     */
    private void forEachLease(Function<@Nullable Map<String, AttributeValue>, Page> pages,
            BiConsumer<Map<String, AttributeValue>, Lease> each, Consumer<Map<String, AttributeValue>> others) {
        Map<String, AttributeValue> startKey = null;
        do {
            Page page = pages.apply(startKey);
            for (Map<String, AttributeValue> item : page.items()) {
                try {
                    if (HeartbeatRows.isNoLease(shardIdOf(item))) {
                        others.accept(item);
                    }
                    else {
                        each.accept(item, LeaseSerializer.toLease(item));
                    }
                }
                catch (MalformedLeaseException malformed) {
                    log.warn("Skipping a row of lease table {}: {}", tableName, malformed.getMessage());
                }
            }
            startKey = page.lastEvaluatedKey();
        }
        while (startKey != null);
    }

    /** The table's own rows the last full scan read: the baseline of {@link SyncReads}. */
    @Nullable TableRows lastTableRows() {
        return lastTableRows;
    }

    /** The table's renewal mode, as its {@code #mode} row says (none: per lease): one consistent GetItem. */
    RenewalMode tableRenewalMode() {
        return HeartbeatRows.modeOf(readItem(HeartbeatRows.MODE_ROW));
    }

    /** The rows of a scan that are no leases: the heartbeats, by worker, and the mode row's mode and changes. */
    static final class TableRows {

        private final Map<String, HeartbeatRows.Row> beats = new HashMap<>();
        private long tableChanges;
        private RenewalMode mode = RenewalMode.LEASE;

        void add(Map<String, AttributeValue> item) {
            String key = shardIdOf(item);
            if (HeartbeatRows.isHeartbeat(key)) {
                HeartbeatRows.Row row = HeartbeatRows.parse(item);
                beats.put(row.workerId(), row);
            }
            else if (HeartbeatRows.MODE_ROW.equals(key)) {
                mode = HeartbeatRows.modeOf(item);
                tableChanges = HeartbeatRows.tableChanges(item);
            }
        }

        /** The table's renewal mode, as its mode row said (none: per lease). */
        RenewalMode mode() {
            return mode;
        }

        Map<String, HeartbeatRows.Row> beats() {
            return beats;
        }

        /**
         * What moves when leases change hands or rows come and go: each worker's epoch and changes, and the table's.
         * Heartbeat counters are left out: they move all the time.
         */
        Map<String, String> changes() {
            Map<String, String> changes = new HashMap<>();
            beats.forEach((worker, row) -> changes.put(worker, row.epoch() + " " + row.leaseChanges()));
            changes.put(HeartbeatRows.MODE_ROW, Long.toString(tableChanges));
            return changes;
        }
    }

    /** One page of rows, and where the next starts ({@code null}: none). */
    private record Page(List<Map<String, AttributeValue>> items, @Nullable Map<String, AttributeValue> lastEvaluatedKey) {

        static Page of(List<Map<String, AttributeValue>> items, boolean hasMore, Map<String, AttributeValue> last) {
            return new Page(items, hasMore && !last.isEmpty() ? last : null);
        }
    }

    private Page scanPage(@Nullable Map<String, AttributeValue> startKey) {
        return scanPage(startKey, scanPageSize, CheckpointOperation.SCAN_LEASES);
    }

    private Page scanPage(@Nullable Map<String, AttributeValue> startKey, @Nullable Integer limit,
            CheckpointOperation operation) {
        ScanRequest request = ScanRequest.builder()
                .tableName(tableName)
                .consistentRead(true)
                .limit(limit)
                .exclusiveStartKey(startKey)
                .overrideConfiguration(calls.requestOverrides())
                .build();
        ScanResponse page = calls.execute(operation, null, () -> client.scan(request));
        return Page.of(page.items(), page.hasLastEvaluatedKey(), page.lastEvaluatedKey());
    }

    private Page query(@Nullable Map<String, AttributeValue> startKey) {
        return query(startKey, scanPageSize, CheckpointOperation.SCAN_LEASES);
    }

    private Page query(@Nullable Map<String, AttributeValue> startKey, @Nullable Integer limit,
            CheckpointOperation operation) {
        QueryRequest request = QueryRequest.builder()
                .tableName(tableName)
                .keyConditionExpression("#group = :group")
                .expressionAttributeNames(Map.of("#group", CheckpointConstants.CONSUMER_GROUP_KEY))
                .expressionAttributeValues(Map.of(":group", LeaseSerializer.string(keys.group())))
                .consistentRead(true)
                .limit(limit)
                .exclusiveStartKey(startKey)
                .overrideConfiguration(calls.requestOverrides())
                .build();
        QueryResponse page = calls.execute(operation, null, () -> client.query(request));
        return Page.of(page.items(), page.hasLastEvaluatedKey(), page.lastEvaluatedKey());
    }

    private static @Nullable String shardIdOf(Map<String, AttributeValue> item) {
        AttributeValue shardId = item.get(CheckpointConstants.LEASE_KEY_KEY);
        return shardId == null ? null : shardId.s();
    }
}
