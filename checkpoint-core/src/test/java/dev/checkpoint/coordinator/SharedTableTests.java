package dev.checkpoint.coordinator;

import static dev.checkpoint.StoreCalls.checkpoint;
import static dev.checkpoint.StoreCalls.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.checkpoint.Lease;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.StreamIdentityMismatchException;
import dev.checkpoint.TableSchemaMismatchException;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Several consumer groups, and several streams, in one lease table, on dynalite: each group reads only its own rows,
 * balances among its own workers, never takes another group's lease, and is bound to one stream.
 */
class SharedTableTests {

    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final String table = TestDynamoDb.uniqueTableName("shared");
    private final DynamoDbClient client = TestDynamoDb.shared().newClient();
    private final List<LeaseCoordinator> coordinators = new ArrayList<>();
    private final List<Shard> shards = IntStream.range(0, 4).mapToObj(i -> Shard.of("shardId-00000000000" + i)).toList();

    @AfterEach
    void stop() {
        coordinators.forEach(coordinator -> coordinator.stop(Duration.ofSeconds(2)));
    }

    @Test
    void twoGroupsOfTwoWorkersShareOneTableEachBalancingItsOwnShardsAndNeverTakingTheOthers() {
        LeaseCoordinator orders1 = start("orders", "orders-1", "stream/orders");
        LeaseCoordinator orders2 = start("orders", "orders-2", "stream/orders");
        LeaseCoordinator audit1 = start("audit", "audit-1", "stream/orders");
        LeaseCoordinator audit2 = start("audit", "audit-2", "stream/orders");

        Cluster.await(LIMIT, () -> orders1.ownedShards().size() == 2 && orders2.ownedShards().size() == 2
                && audit1.ownedShards().size() == 2 && audit2.ownedShards().size() == 2);
        Cluster.pause(LEASE.multipliedBy(3));

        assertThat(orders1.ownedShards()).hasSize(2);
        assertThat(audit1.ownedShards()).hasSize(2);
        DynamoDbCheckpointer admin = checkpointer("orders", "admin");
        Map<String, List<Lease>> everyGroup = admin.leaseStore().scanEveryGroup();
        assertThat(everyGroup).containsOnlyKeys("orders", "audit");
        assertThat(everyGroup.get("orders")).hasSize(4)
                .allSatisfy(lease -> assertThat(lease.owner()).isIn("orders-1", "orders-2"));
        assertThat(everyGroup.get("audit")).hasSize(4)
                .allSatisfy(lease -> assertThat(lease.owner()).isIn("audit-1", "audit-2"));
        assertThat(admin.leaseStore().scan()).as("a group reads only its own rows")
                .extracting(Lease::owner).allMatch(owner -> owner.startsWith("orders-"));
    }

    @Test
    void theSameShardIdKeepsACheckpointPerGroup() {
        DynamoDbCheckpointer orders = checkpointer("orders", "orders-1");
        DynamoDbCheckpointer audit = checkpointer("audit", "audit-1");
        ShardStatus forOrders = new ShardStatus("shardId-000000000000");
        ShardStatus forAudit = new ShardStatus("shardId-000000000000");
        take(orders.leaseStore(), forOrders);
        take(audit.leaseStore(), forAudit);

        forOrders.setCheckpoint("100");
        checkpoint(orders.leaseStore(), forOrders);
        forAudit.setCheckpoint("7");
        checkpoint(audit.leaseStore(), forAudit);

        assertThat(orders.leaseStore().find("shardId-000000000000").checkpoint()).isEqualTo("100");
        assertThat(audit.leaseStore().find("shardId-000000000000").checkpoint()).isEqualTo("7");
        assertThat(orders.leaseStore().consumerGroup()).isEqualTo("orders");
    }

    @Test
    void aWorkerOfAGroupBoundToAnotherStreamStopsBeforeWritingAnything() {
        LeaseCoordinator first = start("orders", "orders-1", "arn:stream/orders created 2026-01-01T00:00:00Z");
        Cluster.await(LIMIT, () -> first.ownedShards().size() == 4);
        long rowsBefore = rawRowCount();
        assertThat(client.scanPaginator(scan -> scan.tableName(table).consistentRead(true)).items())
                .as("every row records its group and stream").hasSize(5).allSatisfy(row -> {
                    assertThat(row.get("ConsumerGroup").s()).isEqualTo("orders");
                    assertThat(row.get("StreamIdentity").s()).isEqualTo("arn:stream/orders created 2026-01-01T00:00:00Z");
                });

        LeaseCoordinator recreated = coordinator("orders", "orders-2", "arn:stream/orders created 2026-11-29T08:00:00Z");

        assertThatThrownBy(recreated::start).isInstanceOf(StreamIdentityMismatchException.class)
                .hasMessageContaining("consumer group orders of lease table " + table)
                .hasMessageContaining("created 2026-01-01T00:00:00Z").hasMessageContaining("created 2026-11-29T08:00:00Z");
        assertThat(recreated.status().running()).isFalse();
        assertThat(rawRowCount()).isEqualTo(rowsBefore);
        assertThat(checkpointer("orders", "admin").leaseStore().scan()).allMatch(lease -> "orders-1".equals(lease.owner()));
        LeaseCoordinator sameStream = start("orders", "orders-3", "arn:stream/orders created 2026-01-01T00:00:00Z");
        Cluster.await(LIMIT, () -> sameStream.ownedShards().size() == 2);
    }

    @Test
    void aTableIsInOneLayoutAndTheOtherIsRefusedNamingTheDifference() {
        DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(table).workerId("go-layout").build().init();

        assertThatThrownBy(() -> checkpointer("orders", "orders-1"))
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining("its hash key is ShardID, not ConsumerGroup")
                .hasMessageContaining("the Go library's layout");

        String shared = TestDynamoDb.uniqueTableName("shared");
        DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(shared).workerId("w").consumerGroup("g").build().init();
        assertThatThrownBy(() -> DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(shared).workerId("w")
                .build().init())
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining("its hash key is ConsumerGroup, not ShardID (it is a table shared by consumer groups");
    }

    private LeaseCoordinator start(String group, String workerId, String stream) {
        LeaseCoordinator coordinator = coordinator(group, workerId, stream);
        coordinator.start();
        return coordinator;
    }

    private LeaseCoordinator coordinator(String group, String workerId, String stream) {
        ShardSource source = new ShardSource() {
            @Override
            public List<Shard> listShards() {
                return shards;
            }

            @Override
            public String identity() {
                return stream;
            }
        };
        LeaseCoordinator coordinator = LeaseCoordinator.builder().checkpointer(checkpointer(group, workerId))
                .shardSource(source).listener(new RecordingListener(workerId))
                .renewInterval(Duration.ofMillis(250)).syncInterval(Duration.ofMillis(500)).build();
        coordinators.add(coordinator);
        return coordinator;
    }

    private DynamoDbCheckpointer checkpointer(String group, String workerId) {
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient())
                .tableName(table).workerId(workerId).consumerGroup(group).leaseDuration(LEASE)
                .requestTimeout(Duration.ofMillis(300)).enableLeaseStealing(true).build();
        checkpointer.init();
        return checkpointer;
    }

    private long rawRowCount() {
        return client.scanPaginator(scan -> scan.tableName(table).consistentRead(true)).items().stream().count();
    }
}
