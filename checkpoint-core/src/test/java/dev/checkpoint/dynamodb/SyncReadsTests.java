package dev.checkpoint.dynamodb;

import static dev.checkpoint.KeepAlives.heartbeats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.RequestOutcome;
import dev.checkpoint.StartingPosition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * In worker renewal mode, a sync scans the whole table only when a worker changed which leases it holds, a worker
 * came or went, or a free lease was reset; otherwise it reads the heartbeats and one page of a rotating read. In both key
 * layouts: a table of one group (BatchGetItem of the known heartbeats) and a shared one (a Query of the group's own
 * rows).
 */
class SyncReadsTests {

    private static final Duration LEASE = Tables.LEASE;

    private final DynamoDbClient client = Tables.client();
    private final String table = Tables.newTableName();
    private final Map<CheckpointOperation, Integer> readsOfB = new ConcurrentHashMap<>();
    private LeaseStore a;
    private LeaseStore b;

    private void start(boolean shared) {
        a = worker("worker-a", shared, new CheckpointListener() { });
        b = worker("worker-b", shared, new CheckpointListener() {
            @Override
            public void requestCompleted(CheckpointOperation operation, RequestOutcome outcome, Duration latency) {
                readsOfB.merge(operation, 1, Integer::sum);
            }
        });
        a.register();
        b.register();
        for (int i = 1; i <= 6; i++) {
            a.createIfMissing("shard-" + i, null);
        }
        for (int i = 1; i <= 3; i++) {
            a.take("shard-" + i, null);
        }
        heartbeats(a).heartbeat(LEASE);
    }

    private LeaseStore worker(String id, boolean shared, CheckpointListener listener) {
        DynamoDbCheckpointer.Builder builder = Tables.checkpointer(client, table, id, new ManualMonotonicClock())
                .renewalMode(RenewalMode.WORKER).listener(listener);
        if (shared) {
            builder.consumerGroup("orders");
        }
        DynamoDbCheckpointer checkpointer = builder.build();
        checkpointer.init();
        return checkpointer.leaseStore();
    }

    private int fullScans(Runnable syncs) {
        readsOfB.clear();
        syncs.run();
        return readsOfB.getOrDefault(CheckpointOperation.SCAN_LEASES, 0);
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void inASteadyStateASyncReadsTheHeartbeatsAndOnePageOfTheTableNeverTheWhole(boolean shared) {
        start(shared);
        assertThat(fullScans(b::scanForSync)).as("the first sync").isEqualTo(1);

        readsOfB.clear();
        int syncs = SyncReads.FULL_SCAN_EVERY * 3;
        for (int sync = 0; sync < syncs; sync++) {
            heartbeats(a).heartbeat(LEASE);
            assertThat(b.scanForSync()).extracting(Lease::owner)
                    .containsExactly("worker-a", "worker-a", "worker-a", null, null, null);
        }

        assertThat(readsOfB).as("one read of the heartbeats and one page of a tenth of the table a sync")
                .isEqualTo(Map.of(CheckpointOperation.READ_HEARTBEATS, syncs, CheckpointOperation.READ_LEASES_PAGE, syncs));
    }

    /** The rotating read finds what a person changed by hand, within the syncs a full scan every tenth sync took. */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aRowChangedOrDeletedByHandIsSeenWithinTenSyncs(boolean shared) {
        start(shared);
        b.scanForSync();

        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key = shared
                ? LeaseKeys.shared("orders").of("shard-6") : LeaseKeys.single().of("shard-6");
        client.updateItem(update -> update.tableName(table).key(key).updateExpression("SET AssignedTo = :by")
                .expressionAttributeValues(Map.of(":by",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("by-hand"))));
        client.deleteItem(delete -> delete.tableName(table).key(shared ? LeaseKeys.shared("orders").of("shard-5")
                : LeaseKeys.single().of("shard-5")));

        readsOfB.clear();
        for (int sync = 0; sync < SyncReads.FULL_SCAN_EVERY; sync++) {
            b.scanForSync();
        }

        assertThat(b.scanForSync()).extracting(Lease::shardId).doesNotContain("shard-5");
        assertThat(b.scanForSync()).filteredOn(lease -> lease.shardId().equals("shard-6")).singleElement()
                .extracting(Lease::owner).isEqualTo("by-hand");
        assertThat(readsOfB).doesNotContainKey(CheckpointOperation.SCAN_LEASES);
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aLeaseChangingHandsIsSeenAtTheSyncAfterTheChangersHeartbeat(boolean shared) {
        start(shared);
        b.scanForSync();

        a.release("shard-1");
        assertThat(fullScans(b::scanForSync)).as("before a's heartbeat says so").isZero();
        heartbeats(a).heartbeat(LEASE);

        assertThat(fullScans(b::scanForSync)).isEqualTo(1);
        assertThat(b.scanForSync()).filteredOn(lease -> lease.shardId().equals("shard-1")).singleElement()
                .extracting(Lease::owner).isNull();
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aWorkerJoiningOrLeavingIsSeenAtTheNextSync(boolean shared) {
        start(shared);
        b.scanForSync();

        LeaseStore c = worker("worker-c", shared, new CheckpointListener() { });
        c.register();
        assertThat(fullScans(b::scanForSync)).as("joined").isEqualTo(1);

        heartbeats(c).deregister();
        assertThat(fullScans(b::scanForSync)).as("left").isEqualTo(1);
        assertThat(fullScans(b::scanForSync)).as("then quiet again").isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aResetOfAFreeLeaseIsSeenAtTheNextSync(boolean shared) {
        start(shared);
        b.scanForSync();

        b.requestReset("shard-5", StartingPosition.trimHorizon(), "operator");

        assertThat(fullScans(b::scanForSync)).isEqualTo(1);
        assertThat(b.scanForSync()).filteredOn(lease -> lease.shardId().equals("shard-5")).singleElement()
                .satisfies(lease -> assertThat(lease.hasPendingReset()).isTrue());
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void scanStillReadsTheWholeTable(boolean shared) {
        start(shared);
        b.scanForSync();

        assertThat(fullScans(b::scan)).as("for the leases endpoint and the seed's listLeases").isEqualTo(1);
    }
}
