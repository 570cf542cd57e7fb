package dev.checkpoint.benchmarks;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.Lease;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.RequestCounter;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Our {@link DynamoDbCheckpointer}, with the client the starter builds by default. */
final class Ours {

    private static final String WORKER = "our-worker";

    private Ours() {
    }

    static Contender contender(Contender.Kind kind, String httpClient, DynamoDbClient client, RequestCounter counter,
            String table, Map<String, String> listingTables) {
        DynamoDbCheckpointer checkpointer = checkpointer(client, table);
        Map<String, DynamoDbCheckpointer> listers = new ConcurrentHashMap<>();
        listingTables.forEach((rows, listingTable) -> listers.put(rows, checkpointer(client, listingTable)));
        Map<String, ShardStatus> held = new ConcurrentHashMap<>();
        Map<Operation, Op> ops = new EnumMap<>(Operation.class);
        ops.put(Operation.TAKE, new Op() {
            @Override
            public void timed(int thread) {
                checkpointer.getLease(new ShardStatus("take-" + thread), WORKER);
            }

            @Override
            public void after(int thread) {
                checkpointer.removeLeaseOwner("take-" + thread);
            }
        });
        ops.put(Operation.RENEW, new Op() {
            @Override
            public void setUp(int thread) {
                held.put("renew-" + thread, take(checkpointer, "renew-" + thread));
            }

            @Override
            public void timed(int thread) {
                checkpointer.getLease(held.get("renew-" + thread), WORKER);
            }
        });
        ops.put(Operation.CHECKPOINT, new Op() {
            @Override
            public void setUp(int thread) {
                held.put("checkpoint-" + thread, take(checkpointer, "checkpoint-" + thread));
            }

            @Override
            public void timed(int thread) {
                ShardStatus shard = held.get("checkpoint-" + thread);
                shard.setCheckpoint(Long.toString(System.nanoTime()));
                checkpointer.checkpointSequence(shard);
            }
        });
        ops.put(Operation.RELEASE, new Op() {
            @Override
            public void before(int thread) {
                checkpointer.getLease(new ShardStatus("release-" + thread), WORKER);
            }

            @Override
            public void timed(int thread) {
                checkpointer.removeLeaseOwner("release-" + thread);
            }
        });
        ops.put(Operation.LIST_1000, thread -> nonEmpty(listers.get("1000").listLeases()));
        ops.put(Operation.LIST_10000, thread -> nonEmpty(listers.get("10000").listLeases()));
        return new Contender(kind == Contender.Kind.OURS ? "checkpoint (ours)" : "checkpoint (ours, on a retrying client)",
                kind, httpClient, counter, ops);
    }

    private static DynamoDbCheckpointer checkpointer(DynamoDbClient client, String table) {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(table)
                .workerId(WORKER).build();
        checkpointer.init();
        return checkpointer;
    }

    private static ShardStatus take(DynamoDbCheckpointer checkpointer, String shardId) {
        ShardStatus shard = new ShardStatus(shardId);
        checkpointer.getLease(shard, WORKER);
        return shard;
    }

    private static void nonEmpty(List<Lease> leases) {
        if (leases.isEmpty()) {
            throw new IllegalStateException("empty listing");
        }
    }
}
