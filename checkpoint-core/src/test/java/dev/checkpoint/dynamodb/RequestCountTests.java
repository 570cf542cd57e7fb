package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import dev.checkpoint.ShardStatus;
import dev.checkpoint.testsupport.RequestCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Each operation is exactly one DynamoDB request in the normal case, counted on the wire. */
class RequestCountTests {

    private final RequestCounter requests = new RequestCounter();
    private final DynamoDbClient client = Tables.client(requests);
    private final ManualMonotonicClock time = new ManualMonotonicClock();
    private DynamoDbCheckpointer worker;
    private DynamoDbCheckpointer claimant;

    @BeforeEach
    void createTable() {
        String table = Tables.newTableName();
        worker = Tables.initialised(Tables.checkpointer(client, table, "worker", time).enableLeaseStealing(true));
        claimant = Tables.checkpointer(client, table, "claimant", new ManualMonotonicClock()).enableLeaseStealing(true).build();
        requests.reset();
    }

    @Test
    void takingANewShardIsOneWrite() {
        worker.getLease(new ShardStatus("shard-1"), "worker");

        assertThat(requests.counts()).isEqualTo(Map.of("UpdateItem", 1));
    }

    @Test
    void takingAFreeShardSeenInTheLastScanIsOneWrite() {
        worker.getLease(new ShardStatus("shard-1"), "worker");
        worker.removeLeaseOwner("shard-1");
        claimant.listLeases();
        requests.reset();

        claimant.getLease(new ShardStatus("shard-1"), "claimant");

        assertThat(requests.counts()).isEqualTo(Map.of("UpdateItem", 1));
    }

    @Test
    void renewingIsOneWrite() {
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker");
        requests.reset();

        worker.getLease(shard, "worker");
        worker.getLease(new ShardStatus("shard-1"), "worker");

        assertThat(requests.counts()).isEqualTo(Map.of("UpdateItem", 2));
    }

    @Test
    void checkpointIsOneWrite() {
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker");
        requests.reset();

        shard.setCheckpoint("1");
        worker.checkpointSequence(shard);
        worker.getLease(shard, "worker");   // renewal between checkpoints keeps it one write each
        shard.setCheckpoint("2");
        worker.checkpointSequence(shard);

        assertThat(requests.counts()).isEqualTo(Map.of("UpdateItem", 3));
    }

    @Test
    void releaseIsOneWrite() {
        worker.getLease(new ShardStatus("shard-1"), "worker");
        requests.reset();

        worker.removeLeaseOwner("shard-1");

        assertThat(requests.counts()).isEqualTo(Map.of("UpdateItem", 1));
    }

    @Test
    void claimIsOneWrite() {
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker");
        requests.reset();

        claimant.claimShard(shard, "claimant");

        assertThat(requests.counts()).isEqualTo(Map.of("UpdateItem", 1));
    }

    @Test
    void fetchIsOneRead() {
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker");
        shard.setCheckpoint("1");
        worker.checkpointSequence(shard);
        requests.reset();

        worker.fetchCheckpoint(new ShardStatus("shard-1"));

        assertThat(requests.counts()).isEqualTo(Map.of("GetItem", 1));
    }

    @Test
    void refusingALiveLeaseIsOneRead() {
        worker.getLease(new ShardStatus("shard-1"), "worker");
        claimant.listLeases();
        requests.reset();

        try {
            claimant.getLease(new ShardStatus("shard-1"), "claimant");
        }
        catch (RuntimeException refused) {
            assertThat(refused).hasMessageContaining("held by worker");
        }

        assertThat(requests.counts()).isEqualTo(Map.of("GetItem", 1));
    }
}
