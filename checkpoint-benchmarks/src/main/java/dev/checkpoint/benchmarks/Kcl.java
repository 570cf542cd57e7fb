package dev.checkpoint.benchmarks;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.testsupport.RequestCounter;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.kinesis.common.DdbTableConfig;
import software.amazon.kinesis.leases.Lease;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseRefresher;
import software.amazon.kinesis.leases.dynamodb.DynamoDBLeaseSerializer;
import software.amazon.kinesis.leases.dynamodb.TableCreatorCallback;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * The Java KCL's lease layer, {@link DynamoDBLeaseRefresher}, on a lease table of its own. It takes only an
 * asynchronous client, so it runs on Netty, as in every KCL application.
 */
final class Kcl {

    private static final String WORKER = "kcl-worker";

    private Kcl() {
    }

    static Contender contender(DynamoDbAsyncClient client, DynamoDbClient filler, RequestCounter counter, String table,
            Map<String, String> listingTables) throws Exception {
        DynamoDBLeaseRefresher refresher = refresher(client, table);
        Map<String, DynamoDBLeaseRefresher> listers = new ConcurrentHashMap<>();
        for (Map.Entry<String, String> listing : listingTables.entrySet()) {
            DynamoDBLeaseRefresher lister = refresher(client, listing.getValue());
            DynamoDBLeaseSerializer serializer = new DynamoDBLeaseSerializer();
            LeaseRows.fill(filler, listing.getValue(), Integer.parseInt(listing.getKey()), i -> {
                Lease lease = lease(String.format("shardId-%012d", i));
                lease.leaseOwner("worker-" + (i % 8));
                lease.leaseCounter((long) i);
                return serializer.toDynamoRecord(lease);
            });
            listers.put(listing.getKey(), lister);
        }
        Map<String, Lease> leases = new ConcurrentHashMap<>();
        Map<Operation, Op> ops = new EnumMap<>(Operation.class);
        ops.put(Operation.TAKE, new Op() {
            @Override
            public void setUp(int thread) throws Exception {
                leases.put("take-" + thread, created(refresher, "take-" + thread));
            }

            @Override
            public void timed(int thread) throws Exception {
                require(refresher.takeLease(leases.get("take-" + thread), WORKER));
            }

            @Override
            public void after(int thread) throws Exception {
                require(refresher.evictLease(leases.get("take-" + thread)));
            }
        });
        ops.put(Operation.RENEW, new Op() {
            @Override
            public void setUp(int thread) throws Exception {
                Lease lease = created(refresher, "renew-" + thread);
                require(refresher.takeLease(lease, WORKER));
                leases.put("renew-" + thread, lease);
            }

            @Override
            public void timed(int thread) throws Exception {
                require(refresher.renewLease(leases.get("renew-" + thread)));
            }
        });
        ops.put(Operation.CHECKPOINT, new Op() {
            @Override
            public void setUp(int thread) throws Exception {
                Lease lease = created(refresher, "checkpoint-" + thread);
                require(refresher.takeLease(lease, WORKER));
                leases.put("checkpoint-" + thread, lease);
            }

            @Override
            public void timed(int thread) throws Exception {
                Lease lease = leases.get("checkpoint-" + thread);
                lease.checkpoint(new ExtendedSequenceNumber(Long.toString(System.nanoTime())));
                require(refresher.updateLease(lease));
            }
        });
        ops.put(Operation.RELEASE, new Op() {
            @Override
            public void setUp(int thread) throws Exception {
                leases.put("release-" + thread, created(refresher, "release-" + thread));
            }

            @Override
            public void before(int thread) throws Exception {
                require(refresher.takeLease(leases.get("release-" + thread), WORKER));
            }

            @Override
            public void timed(int thread) throws Exception {
                require(refresher.evictLease(leases.get("release-" + thread)));
            }
        });
        ops.put(Operation.LIST_1000, thread -> nonEmpty(listers.get("1000").listLeases()));
        ops.put(Operation.LIST_10000, thread -> nonEmpty(listers.get("10000").listLeases()));
        return new Contender("Java KCL 3.5.1", Contender.Kind.KCL, Clients.NETTY, counter, ops);
    }

    private static DynamoDBLeaseRefresher refresher(DynamoDbAsyncClient client, String table) throws Exception {
        DynamoDBLeaseRefresher refresher = new DynamoDBLeaseRefresher(table, client, new DynamoDBLeaseSerializer(), true,
                TableCreatorCallback.NOOP_TABLE_CREATOR_CALLBACK, Duration.ofSeconds(30),
                new DdbTableConfig().billingMode(BillingMode.PAY_PER_REQUEST), false, false, List.of());
        refresher.createLeaseTableIfNotExists();
        if (!refresher.waitUntilLeaseTableExists(1, 60)) {
            throw new IllegalStateException("the KCL's table " + table + " did not become active");
        }
        return refresher;
    }

    private static Lease lease(String key) {
        Lease lease = new Lease();
        lease.leaseKey(key);
        lease.checkpoint(ExtendedSequenceNumber.TRIM_HORIZON);
        lease.ownerSwitchesSinceCheckpoint(0L);
        return lease;
    }

    private static Lease created(DynamoDBLeaseRefresher refresher, String key) throws Exception {
        refresher.createLeaseIfNotExists(lease(key));
        return refresher.getLease(key);
    }

    private static void require(boolean done) {
        if (!done) {
            throw new IllegalStateException("the KCL refused the operation");
        }
    }

    private static void nonEmpty(List<Lease> leases) {
        if (leases.isEmpty()) {
            throw new IllegalStateException("empty listing");
        }
    }
}
