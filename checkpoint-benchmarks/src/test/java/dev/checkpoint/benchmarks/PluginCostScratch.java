package dev.checkpoint.benchmarks;

import java.util.Map;

import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.RequestCounter;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class PluginCostScratch {
    @Test
    void compare() throws Exception {
        Clients clients = new Clients(TestDynamoDb.shared().endpoint(), TestDynamoDb.shared().credentials());
        DynamoDbClient client = clients.sync(Clients.Sync.APACHE5, new RequestCounter());
        String table = TestDynamoDb.uniqueTableName("scratch");
        DynamoDbCheckpointer ours = DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName(table).workerId("w").build();
        ours.init();
        Contender floor = RawSdk.floor("apache5", client, new RequestCounter(), table, Map.of());
        Op raw = floor.operations().get(Operation.RENEW);
        raw.setUp(0);
        ShardStatus shard = new ShardStatus("mine");
        ours.getLease(shard, "w");
        for (int round = 0; round < 6; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                raw.timed(0);
            }
            double rawRate = 2000 / ((System.nanoTime() - start) / 1e9);
            start = System.nanoTime();
            for (int i = 0; i < 2000; i++) {
                ours.getLease(shard, "w");
            }
            double ourRate = 2000 / ((System.nanoTime() - start) / 1e9);
            System.out.printf("SCRATCH raw %.0f ours %.0f ratio %.2f%n", rawRate, ourRate, ourRate / rawRate);
        }
    }
}
