package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.CheckpointerStatus;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.RequestOutcome;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.testsupport.FaultInjector;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** What the listener is told and what the status says: the inputs of the starter's metrics and health. */
class ListenerAndStatusTests {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final FaultInjector faults = new FaultInjector();
    private final DynamoDbClient client = Tables.client(faults);
    private final ManualMonotonicClock timeA = new ManualMonotonicClock();
    private final ManualMonotonicClock timeB = new ManualMonotonicClock();
    private DynamoDbCheckpointer workerA;
    private DynamoDbCheckpointer workerB;

    private final CheckpointListener recorder = new CheckpointListener() {
        @Override
        public void requestCompleted(CheckpointOperation operation, RequestOutcome outcome, Duration latency) {
            events.add(operation.tag() + ":" + outcome.tag());
        }

        @Override
        public void leaseAcquired(String shardId, String previousOwner, boolean claimed) {
            events.add("acquired " + shardId + " from " + previousOwner + (claimed ? " by claim" : ""));
        }

        @Override
        public void leaseRenewed(String shardId) {
            events.add("renewed " + shardId);
        }

        @Override
        public void leaseLost(String shardId) {
            events.add("lost " + shardId);
        }

        @Override
        public void leaseReleased(String shardId) {
            events.add("released " + shardId);
        }

        @Override
        public void checkpointWritten(String shardId, Duration latency, boolean accepted) {
            events.add("checkpoint " + shardId + (accepted ? " accepted" : " refused"));
        }
    };

    @BeforeEach
    void createTable() {
        String table = Tables.newTableName();
        workerA = Tables.initialised(Tables.checkpointer(client, table, "worker-a", timeA).retries(1).listener(recorder));
        workerB = Tables.checkpointer(client, table, "worker-b", timeB).enableLeaseStealing(true).build();
        events.clear();
    }

    @Test
    void leaseLifeIsReported() {
        ShardStatus shard = new ShardStatus("shard-1");
        workerA.getLease(shard, "worker-a");
        workerA.getLease(shard, "worker-a");
        shard.setCheckpoint("1");
        workerA.checkpointSequence(shard);
        workerA.removeLeaseOwner("shard-1");

        assertThat(events).containsExactly(
                "take_lease:success", "acquired shard-1 from null",
                "renew_lease:success", "renewed shard-1",
                "checkpoint:success", "checkpoint shard-1 accepted",
                "release_lease:success", "released shard-1");
    }

    @Test
    void lostLeaseAndRefusedCheckpointAreReported() {
        ShardStatus shard = new ShardStatus("shard-1");
        workerA.getLease(shard, "worker-a");
        workerB.listLeases();
        timeB.advance(Tables.LEASE.plusSeconds(1));
        workerB.getLease(new ShardStatus("shard-1"), "worker-b");
        events.clear();

        shard.setCheckpoint("2");
        assertThatThrownBy(() -> workerA.checkpointSequence(shard)).isInstanceOf(LeaseLostException.class);
        assertThat(events).containsExactly("checkpoint:condition_failed", "read_lease:success",
                "checkpoint shard-1 refused", "lost shard-1");
        events.clear();

        timeA.advance(Tables.LEASE.plusSeconds(1));
        workerA.getLease(new ShardStatus("shard-1"), "worker-a");
        assertThat(events).containsExactly("take_lease:success", "acquired shard-1 from worker-b");
    }

    @Test
    void takeAsClaimantIsReportedAsClaimed() {
        DynamoDbCheckpointer owner = workerB;
        DynamoDbCheckpointer claimant = Tables.checkpointer(client, workerA.getTableName(), "worker-a", timeA)
                .enableLeaseStealing(true).listener(recorder).build();
        ShardStatus shard = new ShardStatus("shard-1");
        owner.getLease(shard, "worker-b");
        claimant.claimShard(shard, "worker-a");
        owner.removeLeaseOwner("shard-1");
        claimant.listLeases();
        events.clear();

        claimant.getLease(new ShardStatus("shard-1"), "worker-a");

        assertThat(events).contains("acquired shard-1 from null by claim");
    }

    @Test
    void throttledRequestsAreReportedApart() {
        faults.throttleNext(1);

        workerA.getLease(new ShardStatus("shard-1"), "worker-a");

        assertThat(events).startsWith("take_lease:throttled", "take_lease:success");
    }

    @Test
    void statusShowsHeldLeasesScanAgeAndFailingRenewals() {
        CheckpointerStatus fresh = workerA.leaseStore().status();
        assertThat(fresh.heldLeases()).isEmpty();
        assertThat(fresh.sinceLastScan()).isNull();
        assertThat(fresh.renewalsFailingFor()).isNull();

        ShardStatus shard = new ShardStatus("shard-1");
        workerA.getLease(shard, "worker-a");
        workerA.getLease(new ShardStatus("shard-2"), "worker-a");
        workerB.getLease(new ShardStatus("shard-3"), "worker-b");
        workerA.listLeases();
        timeA.advance(Duration.ofSeconds(3));

        CheckpointerStatus holding = workerA.leaseStore().status();
        assertThat(holding.heldLeases()).containsExactly("shard-1", "shard-2");
        assertThat(holding.sinceLastScan()).isEqualTo(Duration.ofSeconds(3));
        assertThat(holding.sinceLastRenewal()).isEqualTo(Duration.ofSeconds(3));

        faults.setUnreachable(true);
        assertThatThrownBy(() -> workerA.getLease(shard, "worker-a")).isInstanceOf(CheckpointStoreException.class);
        timeA.advance(Tables.LEASE);
        CheckpointerStatus failing = workerA.leaseStore().status();
        assertThat(failing.renewalsFailingFor()).isEqualTo(Tables.LEASE);
        assertThat(failing.heldLeases()).as("leases not renewed for a lease duration are not held").isEmpty();

        faults.setUnreachable(false);
        workerA.getLease(shard, "worker-a");
        assertThat(workerA.leaseStore().status().renewalsFailingFor()).isNull();
        assertThat(workerA.leaseStore().status().heldLeases()).containsExactly("shard-1");
    }

    @Test
    void lostRaceIsNotAFailingRenewal() {
        workerB.getLease(new ShardStatus("shard-1"), "worker-b");

        assertThatThrownBy(() -> workerA.getLease(new ShardStatus("shard-1"), "worker-a"))
                .isInstanceOf(LeaseNotAcquiredException.class);

        assertThat(workerA.leaseStore().status().renewalsFailingFor()).isNull();
    }
}
