package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.NoLeaseOwnerException;
import dev.checkpoint.SequenceIdNotFoundException;
import dev.checkpoint.ShardNotAssignedException;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/** The seed's contract, method by method, against a real server; the seed's own tests, ported. */
class LeaseProtocolTests {

    private final DynamoDbClient client = Tables.client();
    private final ManualMonotonicClock clockA = new ManualMonotonicClock();
    private final ManualMonotonicClock clockB = new ManualMonotonicClock();
    private String table;
    private DynamoDbCheckpointer workerA;
    private DynamoDbCheckpointer workerB;

    @BeforeEach
    void createTable() {
        table = Tables.newTableName();
        workerA = Tables.initialised(Tables.checkpointer(client, table, "worker-a", clockA));
        workerB = Tables.checkpointer(client, table, "worker-b", clockB).build();
    }

    @Test
    void getLeaseOnNewShardCreatesTheRowWithOwnerTimeoutAndCounter() {
        ShardStatus shard = new ShardStatus("shard-0001");
        shard.setParentShardId("shard-0000");

        workerA.getLease(shard, "worker-a");

        Map<String, AttributeValue> row = row("shard-0001");
        assertThat(row.get("AssignedTo").s()).isEqualTo("worker-a");
        assertThat(row.get("LeaseCounter").n()).isEqualTo("1");
        assertThat(row.get("ParentShardId").s()).isEqualTo("shard-0000");
        assertThat(row.get("LeaseTimeout").s()).endsWith("Z");
        assertThat(shard.getLeaseOwner()).isEqualTo("worker-a");
        assertThat(shard.getLeaseCounter()).isEqualTo(1L);
        assertThat(shard.getLeaseTimeout()).isNotNull();
    }

    @Test
    void renewalIncrementsTheCounter() {
        ShardStatus shard = new ShardStatus("shard-0001");
        workerA.getLease(shard, "worker-a");
        workerA.getLease(shard, "worker-a");
        workerA.getLease(new ShardStatus("shard-0001"), "worker-a");

        assertThat(row("shard-0001").get("LeaseCounter").n()).isEqualTo("3");
    }

    @Test
    void secondWorkerIsRefusedAnUnexpiredLease() {
        workerA.getLease(new ShardStatus("shard-0001"), "worker-a");

        assertThatThrownBy(() -> workerB.getLease(new ShardStatus("shard-0001"), "worker-b"))
                .isInstanceOf(LeaseNotAcquiredException.class)
                .hasMessageContaining("worker-a");
        clockB.advance(Tables.LEASE.minusSeconds(1));
        assertThatThrownBy(() -> workerB.getLease(new ShardStatus("shard-0001"), "worker-b"))
                .isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(workerA.getLeaseOwner("shard-0001")).isEqualTo("worker-a");
    }

    @Test
    void expiredLeaseIsTakenAndKeepsItsCheckpoint() {
        ShardStatus shard = new ShardStatus("shard-0001");
        workerA.getLease(shard, "worker-a");
        shard.setCheckpoint("49590338271490256608559692538361571095921575989136588898");
        workerA.checkpointSequence(shard);
        assertThatThrownBy(() -> workerB.getLease(new ShardStatus("shard-0001"), "worker-b"))
                .isInstanceOf(LeaseNotAcquiredException.class);

        clockB.advance(Tables.LEASE.plusMillis(1));
        ShardStatus taken = new ShardStatus("shard-0001");
        workerB.getLease(taken, "worker-b");

        assertThat(workerB.getLeaseOwner("shard-0001")).isEqualTo("worker-b");
        assertThat(taken.getCheckpoint()).isEqualTo("49590338271490256608559692538361571095921575989136588898");
        assertThat(row("shard-0001").get("Checkpoint").s()).isEqualTo("49590338271490256608559692538361571095921575989136588898");
    }

    @Test
    void releasedLeaseIsTakenAtOnce() {
        workerA.getLease(new ShardStatus("shard-0001"), "worker-a");
        assertThatThrownBy(() -> workerB.getLease(new ShardStatus("shard-0001"), "worker-b"))
                .isInstanceOf(LeaseNotAcquiredException.class);

        workerA.removeLeaseOwner("shard-0001");
        workerB.getLease(new ShardStatus("shard-0001"), "worker-b");

        assertThat(workerA.getLeaseOwner("shard-0001")).isEqualTo("worker-b");
        assertThat(row("shard-0001").get("LeaseCounter").n()).isEqualTo("3");
    }

    @Test
    void releaseRemovesOwnerAndTimeoutOnly() {
        ShardStatus shard = new ShardStatus("shard-0001");
        workerA.getLease(shard, "worker-a");
        shard.setCheckpoint("42");
        workerA.checkpointSequence(shard);

        workerA.removeLeaseOwner("shard-0001");

        Map<String, AttributeValue> row = row("shard-0001");
        assertThat(row).doesNotContainKeys("AssignedTo", "LeaseTimeout");
        assertThat(row.get("Checkpoint").s()).isEqualTo("42");
        assertThatThrownBy(() -> workerA.getLeaseOwner("shard-0001")).isInstanceOf(NoLeaseOwnerException.class);
    }

    @Test
    void getLeaseOwnerOfUnknownShardThrows() {
        assertThatThrownBy(() -> workerA.getLeaseOwner("no-such-shard"))
                .isInstanceOf(NoLeaseOwnerException.class)
                .hasMessageContaining("no-such-shard");
    }

    @Test
    void fetchCheckpointFillsTheShard() {
        ShardStatus shard = new ShardStatus("shard-0001");
        workerA.getLease(shard, "worker-a");
        shard.setCheckpoint("100");
        workerA.checkpointSequence(shard);

        ShardStatus fetched = new ShardStatus("shard-0001");
        workerB.fetchCheckpoint(fetched);

        assertThat(fetched.getCheckpoint()).isEqualTo("100");
        assertThat(fetched.getLeaseOwner()).isEqualTo("worker-a");
        assertThat(fetched.getLeaseTimeout()).isEqualTo(shard.getLeaseTimeout());
        assertThat(fetched.getLeaseCounter()).isEqualTo(1L);
    }

    @Test
    void fetchCheckpointWithoutCheckpointThrowsSequenceIdNotFound() {
        workerA.getLease(new ShardStatus("shard-0001"), "worker-a");

        assertThatThrownBy(() -> workerA.fetchCheckpoint(new ShardStatus("shard-0001")))
                .isInstanceOf(SequenceIdNotFoundException.class);
        assertThatThrownBy(() -> workerA.fetchCheckpoint(new ShardStatus("never-written")))
                .isInstanceOf(SequenceIdNotFoundException.class);
    }

    @Test
    void removeLeaseInfoDeletesTheRow() {
        workerA.getLease(new ShardStatus("shard-0001"), "worker-a");

        workerA.removeLeaseInfo("shard-0001");

        assertThat(row("shard-0001")).isEmpty();
        assertThat(workerA.listLeases()).isEmpty();
    }

    @Test
    void listActiveWorkersGroupsShardsByOwnerAndSkipsFinishedShards() {
        ShardStatus a1 = new ShardStatus("shard-1");
        ShardStatus a2 = new ShardStatus("shard-2");
        ShardStatus b3 = new ShardStatus("shard-3");
        ShardStatus done = new ShardStatus("shard-4");
        workerA.getLease(a1, "worker-a");
        workerA.getLease(a2, "worker-a");
        workerB.getLease(b3, "worker-b");
        workerB.getLease(done, "worker-b");
        done.setCheckpoint(CheckpointConstants.SHARD_END);
        workerB.checkpointSequence(done);
        workerB.removeLeaseOwner("shard-4");

        Map<String, ShardStatus> shards = Map.of("shard-1", new ShardStatus("shard-1"), "shard-2",
                new ShardStatus("shard-2"), "shard-3", new ShardStatus("shard-3"), "shard-4", new ShardStatus("shard-4"));
        Map<String, List<ShardStatus>> workers = workerA.listActiveWorkers(shards);

        assertThat(workers).containsOnlyKeys("worker-a", "worker-b");
        assertThat(workers.get("worker-a")).extracting(ShardStatus::getId).containsExactlyInAnyOrder("shard-1", "shard-2");
        assertThat(workers.get("worker-b")).extracting(ShardStatus::getId).containsExactly("shard-3");
        assertThat(shards.get("shard-4").getCheckpoint()).isEqualTo(CheckpointConstants.SHARD_END);
    }

    @Test
    void listActiveWorkersFailsOnAnUnownedShard() {
        workerA.getLease(new ShardStatus("shard-1"), "worker-a");
        workerA.getLease(new ShardStatus("shard-2"), "worker-a");
        workerA.removeLeaseOwner("shard-2");

        assertThatThrownBy(() -> workerA.listActiveWorkers(Map.of("shard-1", new ShardStatus("shard-1"),
                "shard-2", new ShardStatus("shard-2"))))
                .isInstanceOf(ShardNotAssignedException.class)
                .hasMessageContaining("shard-2");
        assertThatThrownBy(() -> workerA.listActiveWorkers(Map.of("shard-9", new ShardStatus("shard-9"))))
                .isInstanceOf(ShardNotAssignedException.class);
    }

    @Test
    void listLeasesReturnsEveryRowSortedWithItsFields() {
        ShardStatus shard = new ShardStatus("shard-2");
        shard.setParentShardId("shard-1");
        workerA.getLease(shard, "worker-a");
        shard.setCheckpoint("7");
        workerA.checkpointSequence(shard);
        workerB.getLease(new ShardStatus("shard-1"), "worker-b");

        List<Lease> leases = workerB.listLeases();

        assertThat(leases).extracting(Lease::shardId).containsExactly("shard-1", "shard-2");
        Lease second = leases.get(1);
        assertThat(second.owner()).isEqualTo("worker-a");
        assertThat(second.checkpoint()).isEqualTo("7");
        assertThat(second.parentShardId()).isEqualTo("shard-1");
        assertThat(second.leaseCounter()).isEqualTo(1);
        assertThat(second.leaseTimeout()).isEqualTo(shard.getLeaseTimeout());
        assertThat(second.claimRequest()).isNull();
    }

    @Test
    void isExpiredJudgesByLocalObservation() {
        workerA.getLease(new ShardStatus("shard-1"), "worker-a");
        assertThat(workerB.leaseStore().isExpired("shard-1")).isFalse();
        workerB.listLeases();
        clockB.advance(Tables.LEASE);
        assertThat(workerB.leaseStore().isExpired("shard-1")).isFalse();
        clockB.advance(Duration.ofMillis(1));
        assertThat(workerB.leaseStore().isExpired("shard-1")).isTrue();
    }

    private Map<String, AttributeValue> row(String shardId) {
        return client.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of("ShardID", AttributeValue.fromS(shardId))).consistentRead(true).build()).item();
    }
}
