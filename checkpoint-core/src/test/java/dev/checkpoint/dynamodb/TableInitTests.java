package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.checkpoint.TableNotFoundException;
import dev.checkpoint.TableSchemaMismatchException;
import dev.checkpoint.testsupport.LocalAwsServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

class TableInitTests {

    private final DynamoDbClient client = Tables.client();

    @Test
    void createsAPayPerRequestTableKeyedByShardId() {
        String table = Tables.newTableName();

        Tables.initialised(Tables.checkpointer(client, table, "worker", new ManualMonotonicClock()));

        TableDescription description = describe(table);
        assertThat(description.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(description.keySchema()).singleElement().satisfies(key -> {
            assertThat(key.attributeName()).isEqualTo("ShardID");
            assertThat(key.keyType()).isEqualTo(KeyType.HASH);
        });
        assertThat(description.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
    }

    @Test
    void createsAProvisionedTableWithTheGivenCapacity() {
        String table = Tables.newTableName();

        Tables.initialised(Tables.checkpointer(client, table, "worker", new ManualMonotonicClock()).provisioned(7, 3));

        TableDescription description = describe(table);
        assertThat(description.provisionedThroughput().readCapacityUnits()).isEqualTo(7);
        assertThat(description.provisionedThroughput().writeCapacityUnits()).isEqualTo(3);
    }

    @Test
    void eightWorkersInitialisingAtOnceAllSucceed() throws Exception {
        String table = Tables.newTableName();
        int workers = 8;
        CyclicBarrier start = new CyclicBarrier(workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                DynamoDbCheckpointer worker = DynamoDbCheckpointer.builder().dynamoDbClient(Tables.client())
                        .tableName(table).workerId("worker-" + i).build();
                Callable<String> init = () -> {
                    start.await();
                    worker.init();
                    return worker.leaseStore().tableStatus();
                };
                results.add(pool.submit(init));
            }
            for (Future<String> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo("ACTIVE");
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void initWaitsUntilTheTableIsActive() {
        try (LocalAwsServer slow = LocalAwsServer.start(LocalAwsServer.Kind.DYNALITE, "--createTableMs", "1500")) {
            DynamoDbClient slowClient = DynamoDbClient.builder().endpointOverride(slow.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s"))).build();
            DynamoDbCheckpointer worker = DynamoDbCheckpointer.builder().dynamoDbClient(slowClient)
                    .tableName("slow-table").workerId("worker").build();

            long start = System.nanoTime();
            worker.init();

            assertThat(System.nanoTime() - start).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(1000));
            assertThat(worker.leaseStore().tableStatus()).isEqualTo("ACTIVE");
        }
    }

    @Test
    void existingTableWithAnotherKeyIsAClearError() {
        String table = Tables.newTableName();
        client.createTable(create -> create.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key -> key.attributeName("leaseKey").keyType(KeyType.HASH))
                .attributeDefinitions(attribute -> attribute.attributeName("leaseKey").attributeType(ScalarAttributeType.S)));

        DynamoDbCheckpointer worker = Tables.checkpointer(client, table, "worker", new ManualMonotonicClock()).build();

        assertThatThrownBy(worker::init)
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining(table)
                .hasMessageContaining("leaseKey (HASH, S)")
                .hasMessageContaining("hash key ShardID of type S")
                .hasMessageContaining("its hash key is leaseKey, not ShardID");
    }

    @Test
    void existingTableWithANumericShardIdIsAClearError() {
        String table = Tables.newTableName();
        client.createTable(create -> create.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key -> key.attributeName("ShardID").keyType(KeyType.HASH))
                .attributeDefinitions(attribute -> attribute.attributeName("ShardID").attributeType(ScalarAttributeType.N)));

        assertThatThrownBy(Tables.checkpointer(client, table, "worker", new ManualMonotonicClock()).build()::init)
                .isInstanceOf(TableSchemaMismatchException.class)
                .hasMessageContaining("ShardID (HASH, N)")
                .hasMessageContaining("ShardID is of type N, not S (string)");
    }

    @Test
    void missingTableWithCreationSwitchedOffIsAClearError() {
        String table = Tables.newTableName();
        DynamoDbCheckpointer worker = Tables.checkpointer(client, table, "worker", new ManualMonotonicClock())
                .createTable(false).build();

        assertThatThrownBy(worker::init)
                .isInstanceOf(TableNotFoundException.class)
                .hasMessageContaining(table)
                .hasMessageContaining("does not exist and table creation is switched off");
        assertThat(worker.leaseStore().tableStatus()).isNull();
    }

    @Test
    void existingTableIsUsedWithCreationSwitchedOff() {
        String table = Tables.newTableName();
        Tables.initialised(Tables.checkpointer(client, table, "creator", new ManualMonotonicClock()));

        DynamoDbCheckpointer worker = Tables.initialised(Tables.checkpointer(client, table, "worker",
                new ManualMonotonicClock()).createTable(false));

        assertThat(worker.leaseStore().tableStatus()).isEqualTo("ACTIVE");
    }

    private TableDescription describe(String table) {
        return client.describeTable(describe -> describe.tableName(table)).table();
    }
}
