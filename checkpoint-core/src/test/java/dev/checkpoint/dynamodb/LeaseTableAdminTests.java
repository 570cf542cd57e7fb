package dev.checkpoint.dynamodb;

import static dev.checkpoint.StoreCalls.checkpoint;
import static dev.checkpoint.KeepAlives.renewal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import dev.checkpoint.Lease;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.ResetRequest;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.testsupport.RequestCounter;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The operator's handle, against a real server: no worker id, either renewal mode and either layout found from the
 * table; a reset of a named shard reads that row alone; a release takes the lease from whoever holds it, and the owner's
 * next renewal fails; a lease shows its owner's epoch in worker mode.
 */
class LeaseTableAdminTests {

    private static final Duration LEASE = Tables.LEASE;

    private final DynamoDbClient client = Tables.client();
    private final String table = Tables.newTableName();
    private final RequestCounter requests = new RequestCounter();
    private LeaseStore worker;

    private LeaseTableAdmin admin(boolean shared) {
        LeaseTableAdmin.Builder builder = LeaseTableAdmin.builder().dynamoDbClient(TestDynamoDb.shared().newClient(requests))
                .tableName(table);
        return (shared ? builder.consumerGroup("orders") : builder).build();
    }

    private void startWorker(RenewalMode mode, boolean shared) {
        DynamoDbCheckpointer.Builder builder = Tables.checkpointer(client, table, "worker-1", new ManualMonotonicClock())
                .renewalMode(mode);
        if (shared) {
            builder.consumerGroup("orders");
        }
        DynamoDbCheckpointer checkpointer = builder.build();
        checkpointer.init();
        worker = checkpointer.leaseStore();
        worker.register();
        for (int i = 1; i <= 20; i++) {
            worker.take("shard-" + i, null);
        }
    }

    @ParameterizedTest
    @EnumSource(RenewalMode.class)
    void theModeAndLayoutComeFromTheTableAndTheLeasesShowTheirOwnersEpoch(RenewalMode mode) {
        startWorker(mode, false);
        LeaseTableAdmin admin = admin(false);

        assertThat(admin.renewalMode()).isEqualTo(mode);
        assertThat(admin.layout()).isEqualTo(LeaseTableAdmin.Layout.SINGLE_GROUP);
        List<Lease> leases = admin.listLeases();
        assertThat(leases).hasSize(20).allMatch(lease -> "worker-1".equals(lease.owner()));
        if (mode == RenewalMode.WORKER) {
            assertThat(leases).allMatch(lease -> lease.ownerEpoch() != null);
        }
        else {
            assertThat(leases).allMatch(lease -> lease.ownerEpoch() == null);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aResetOfANamedShardReadsThatRowAloneInEitherLayout(boolean shared) {
        startWorker(RenewalMode.LEASE, shared);
        LeaseTableAdmin admin = admin(shared);
        assertThat(admin.layout()).isEqualTo(shared ? LeaseTableAdmin.Layout.SHARED : LeaseTableAdmin.Layout.SINGLE_GROUP);
        requests.reset();

        assertThat(admin.reset(ResetRequest.shards(StartingPosition.trimHorizon(), List.of("shard-7"))
                .requestedBy("alice"))).singleElement().satisfies(receipt -> assertThat(receipt.shardId()).isEqualTo("shard-7"));

        assertThat(requests.counts()).doesNotContainKeys("Scan", "Query");
        assertThat(admin.listLeases()).filteredOn(lease -> lease.shardId().equals("shard-7")).singleElement()
                .satisfies(lease -> assertThat(lease.pendingReset().requestedBy()).isEqualTo("alice"));
        assertThatThrownBy(() -> admin.reset(ResetRequest.shards(StartingPosition.trimHorizon(), List.of("shard-99"))
                .requestedBy("alice"))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shard-99");
    }

    @ParameterizedTest
    @EnumSource(RenewalMode.class)
    void aReleaseTakesTheLeaseFromWhoeverHoldsItAndItsOwnersRenewalFails(RenewalMode mode) {
        startWorker(mode, false);
        LeaseTableAdmin admin = admin(false);

        assertThat(admin.release("shard-3")).isTrue();

        assertThat(admin.listLeases()).filteredOn(lease -> lease.shardId().equals("shard-3")).singleElement()
                .satisfies(lease -> {
                    assertThat(lease.owner()).isNull();
                    assertThat(lease.ownerEpoch()).isNull();
                });
        if (mode == RenewalMode.LEASE) {
            assertThatThrownBy(() -> renewal(worker).renew(new ShardStatus("shard-3").getId(), LEASE))
                    .isInstanceOf(LeaseNotAcquiredException.class);
        }
        ShardStatus late = new ShardStatus("shard-3");
        late.setCheckpoint("42");
        assertThatThrownBy(() -> checkpoint(worker, late)).isInstanceOf(RuntimeException.class);
        assertThat(admin.release("shard-3")).as("nobody holds it now").isFalse();
    }
}
