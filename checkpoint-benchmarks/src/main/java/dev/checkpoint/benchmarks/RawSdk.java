package dev.checkpoint.benchmarks;

import static dev.checkpoint.CheckpointConstants.LEASE_COUNTER_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_KEY_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_OWNER_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_TIMEOUT_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_ID_KEY;
import static dev.checkpoint.CheckpointConstants.SEQUENCE_NUMBER_KEY;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import dev.checkpoint.testsupport.RequestCounter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The floor: for each operation, the single conditional request it needs, built by hand on the table our
 * checkpointer uses, with nothing around it. And the seed's renewal, done as the Go library did it: a read, then
 * a conditional replace of the whole item.
 */
final class RawSdk {

    private static final String WORKER = "floor-worker";

    private final DynamoDbClient client;
    private final String table;
    private final Map<String, String> listingTables;
    private final Map<String, Long> counters = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> checkpoints = new java.util.concurrent.ConcurrentHashMap<>();

    RawSdk(DynamoDbClient client, String table, Map<String, String> listingTables) {
        this.client = client;
        this.table = table;
        this.listingTables = listingTables;
    }

    static Contender floor(String httpClient, DynamoDbClient client, RequestCounter counter, String table,
            Map<String, String> listingTables) {
        RawSdk raw = new RawSdk(client, table, listingTables);
        Map<Operation, Op> ops = new EnumMap<>(Operation.class);
        ops.put(Operation.TAKE, new Op() {
            @Override
            public void timed(int thread) {
                raw.take("take-" + thread, thread);
            }

            @Override
            public void after(int thread) {
                raw.release("take-" + thread, thread);
            }
        });
        ops.put(Operation.RENEW, held(raw, "renew-", (thread) -> raw.renew("renew-" + thread, thread)));
        ops.put(Operation.CHECKPOINT, held(raw, "checkpoint-", (thread) -> raw.checkpoint("checkpoint-" + thread, thread)));
        ops.put(Operation.RELEASE, new Op() {
            @Override
            public void before(int thread) {
                raw.take("release-" + thread, thread);
            }

            @Override
            public void timed(int thread) {
                raw.release("release-" + thread, thread);
            }
        });
        ops.put(Operation.LIST_1000, thread -> raw.scan(listingTables.get("1000")));
        ops.put(Operation.LIST_10000, thread -> raw.scan(listingTables.get("10000")));
        return new Contender("raw SDK request", Contender.Kind.FLOOR, httpClient, counter, ops);
    }

    static Contender seed(String httpClient, DynamoDbClient client, RequestCounter counter, String table) {
        RawSdk raw = new RawSdk(client, table, Map.of());
        Map<Operation, Op> ops = new EnumMap<>(Operation.class);
        ops.put(Operation.SEED_GET_LEASE, held(raw, "seed-", thread -> raw.seedGetLease("seed-" + thread)));
        return new Contender("seed's way (raw SDK)", Contender.Kind.SEED, httpClient, counter, ops);
    }

    private static Op held(RawSdk raw, String prefix, Consumer<Integer> timed) {
        return new Op() {
            @Override
            public void setUp(int thread) {
                raw.take(prefix + thread, thread);
            }

            @Override
            public void timed(int thread) {
                timed.accept(thread);
            }
        };
    }

    private static Map<String, AttributeValue> key(String shard) {
        return Map.of(LEASE_KEY_KEY, AttributeValue.fromS(shard));
    }

    private void take(String shard, int thread) {
        update(UpdateItemRequest.builder().tableName(table).key(key(shard))
                .updateExpression("SET #o = :me, #t = :t, #c = if_not_exists(#c, :zero) + :one")
                .conditionExpression("attribute_not_exists(#o)")
                .expressionAttributeNames(Map.of("#o", LEASE_OWNER_KEY, "#t", LEASE_TIMEOUT_KEY, "#c", LEASE_COUNTER_KEY))
                .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(WORKER), ":t", timeout(),
                        ":zero", AttributeValue.fromN("0"), ":one", AttributeValue.fromN("1")))
                .returnValues("ALL_NEW").build(), shard, true);
    }

    private void renew(String shard, int thread) {
        update(UpdateItemRequest.builder().tableName(table).key(key(shard))
                .updateExpression("SET #t = :t, #c = #c + :one")
                .conditionExpression("#o = :me AND #c = :seen AND attribute_not_exists(#r)")
                .expressionAttributeNames(Map.of("#o", LEASE_OWNER_KEY, "#t", LEASE_TIMEOUT_KEY, "#c", LEASE_COUNTER_KEY,
                        "#r", RESET_ID_KEY))
                .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(WORKER), ":t", timeout(),
                        ":one", AttributeValue.fromN("1"), ":seen", AttributeValue.fromN(Long.toString(counters.get(shard)))))
                .build(), shard, false);
        counters.merge(shard, 1L, Long::sum);
    }

    /**
     * Conditioned, as ours is, on the owner, the counter, no reset standing, and the checkpoint last written (none at
     * first).
     */
    private void checkpoint(String shard, int thread) {
        String next = Long.toString(System.nanoTime());
        String previous = checkpoints.get(shard);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":me", AttributeValue.fromS(WORKER),
                ":s", AttributeValue.fromS(next), ":seen", AttributeValue.fromN(Long.toString(counters.get(shard)))));
        if (previous != null) {
            values.put(":previous", AttributeValue.fromS(previous));
        }
        update(UpdateItemRequest.builder().tableName(table).key(key(shard))
                .updateExpression("SET #s = :s")
                .conditionExpression("#o = :me AND #c = :seen AND attribute_not_exists(#r) AND "
                        + (previous == null ? "attribute_not_exists(#s)" : "#s = :previous"))
                .expressionAttributeNames(Map.of("#o", LEASE_OWNER_KEY, "#s", SEQUENCE_NUMBER_KEY, "#c", LEASE_COUNTER_KEY,
                        "#r", RESET_ID_KEY))
                .expressionAttributeValues(values)
                .build(), shard, false);
        checkpoints.put(shard, next);
    }

    private void release(String shard, int thread) {
        update(UpdateItemRequest.builder().tableName(table).key(key(shard))
                .updateExpression("REMOVE #o, #t SET #c = #c + :one")
                .conditionExpression("#o = :me")
                .expressionAttributeNames(Map.of("#o", LEASE_OWNER_KEY, "#t", LEASE_TIMEOUT_KEY, "#c", LEASE_COUNTER_KEY))
                .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(WORKER), ":one", AttributeValue.fromN("1")))
                .build(), shard, false);
        counters.merge(shard, 1L, Long::sum);
    }

    private void update(UpdateItemRequest request, String shard, boolean take) {
        Map<String, AttributeValue> item = client.updateItem(request).attributes();
        if (take) {
            counters.put(shard, Long.parseLong(item.get(LEASE_COUNTER_KEY).n()));
        }
    }

    private void scan(String listingTable) {
        int rows = 0;
        for (var page : client.scanPaginator(ScanRequest.builder().tableName(listingTable).consistentRead(true).build())) {
            rows += page.count();
        }
        if (rows == 0) {
            throw new IllegalStateException("empty listing of " + listingTable);
        }
    }

    /** The Go library's GetLease: a consistent read, then a PutItem of the whole row on condition it is unchanged. */
    private void seedGetLease(String shard) {
        Map<String, AttributeValue> current = client.getItem(get -> get.tableName(table).key(key(shard)).consistentRead(true)).item();
        Map<String, AttributeValue> next = new HashMap<>(current);
        next.put(LEASE_OWNER_KEY, AttributeValue.fromS(WORKER));
        next.put(LEASE_TIMEOUT_KEY, timeout());
        client.putItem(put -> put.tableName(table).item(next)
                .conditionExpression("#o = :me AND #t = :seen")
                .expressionAttributeNames(Map.of("#o", LEASE_OWNER_KEY, "#t", LEASE_TIMEOUT_KEY))
                .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(WORKER), ":seen", current.get(LEASE_TIMEOUT_KEY))));
    }

    private static AttributeValue timeout() {
        return AttributeValue.fromS(Instant.now().plusSeconds(10).toString());
    }
}
