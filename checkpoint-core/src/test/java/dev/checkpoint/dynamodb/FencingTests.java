package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * Worker A holds a lease, pauses past its expiry, and B takes the lease over. Whatever A then does with the
 * ShardStatus it kept, it can no longer write the row.
 */
class FencingTests {

    private final DynamoDbClient client = Tables.client();
    private final ManualMonotonicClock clockA = new ManualMonotonicClock();
    private final ManualMonotonicClock clockB = new ManualMonotonicClock();
    private String table;
    private DynamoDbCheckpointer workerA;
    private DynamoDbCheckpointer workerB;
    private ShardStatus shardOfA;
    private ShardStatus shardOfB;

    @BeforeEach
    void bTakesOverFromAPausedA() {
        table = Tables.newTableName();
        workerA = Tables.initialised(Tables.checkpointer(client, table, "worker-a", clockA));
        workerB = Tables.checkpointer(client, table, "worker-b", clockB).build();
        shardOfA = new ShardStatus("shard-1");
        workerA.getLease(shardOfA, "worker-a");
        shardOfA.setCheckpoint("100");
        workerA.checkpointSequence(shardOfA);

        workerB.listLeases();                          // B first sees A's lease...
        clockB.advance(Tables.LEASE.plusSeconds(1));   // ...and sees it unchanged for a whole lease duration
        shardOfB = new ShardStatus("shard-1");
        workerB.getLease(shardOfB, "worker-b");
        shardOfB.setCheckpoint("200");
        workerB.checkpointSequence(shardOfB);
    }

    @Test
    void staleOwnersCheckpointIsRefusedAndTheStoredCheckpointStaysTheNewOwners() {
        shardOfA.setCheckpoint("150");

        assertThatThrownBy(() -> workerA.checkpointSequence(shardOfA))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("worker-b");
        assertThat(row().get("Checkpoint").s()).isEqualTo("200");
        assertThat(row().get("AssignedTo").s()).isEqualTo("worker-b");
    }

    @Test
    void staleOwnersRenewalIsRefused() {
        assertThatThrownBy(() -> workerA.getLease(shardOfA, "worker-a"))
                .isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(row().get("AssignedTo").s()).isEqualTo("worker-b");
    }

    @Test
    void staleOwnersReleaseDoesNotRemoveTheNewOwner() {
        assertThatThrownBy(() -> workerA.removeLeaseOwner("shard-1"))
                .isInstanceOf(LeaseLostException.class);
        assertThat(row().get("AssignedTo").s()).isEqualTo("worker-b");
    }

    @Test
    void staleOwnerStaysFencedAfterTheNewOwnerReleases() {
        workerB.removeLeaseOwner("shard-1");
        shardOfA.setCheckpoint("150");

        assertThatThrownBy(() -> workerA.checkpointSequence(shardOfA)).isInstanceOf(LeaseLostException.class);
        assertThat(row().get("Checkpoint").s()).isEqualTo("200");
        assertThat(row()).doesNotContainKey("AssignedTo");
    }

    @Test
    void staleOwnerWithAFreshShardStatusIsFencedToo() {
        ShardStatus fresh = new ShardStatus("shard-1");
        fresh.setCheckpoint("1");

        assertThatThrownBy(() -> workerA.checkpointSequence(fresh)).isInstanceOf(LeaseLostException.class);
        assertThat(row().get("Checkpoint").s()).isEqualTo("200");
    }

    @Test
    void checkpointWithoutEverTakingTheLeaseIsRefusedWithoutAWrite() {
        DynamoDbCheckpointer stranger = Tables.checkpointer(client, table, "stranger", new ManualMonotonicClock()).build();
        ShardStatus shard = new ShardStatus("shard-1");
        shard.setCheckpoint("1");

        assertThatThrownBy(() -> stranger.checkpointSequence(shard))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("stranger does not hold the lease");
        assertThat(row().get("Checkpoint").s()).isEqualTo("200");
    }

    private Map<String, AttributeValue> row() {
        return client.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of("ShardID", AttributeValue.fromS("shard-1"))).consistentRead(true).build()).item();
    }
}
