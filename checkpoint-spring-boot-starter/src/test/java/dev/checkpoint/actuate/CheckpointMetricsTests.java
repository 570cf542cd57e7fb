package dev.checkpoint.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.checkpoint.LeaseLostException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.FaultInjector;
import dev.checkpoint.testsupport.TestDynamoDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CheckpointMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FaultInjector faults = new FaultInjector();
    private final AtomicLong nanosA = new AtomicLong();
    private final AtomicLong nanosB = new AtomicLong();
    private final String table = "leases-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicReference<DynamoDbCheckpointer> self = new AtomicReference<>();
    private final CheckpointMetrics metrics = new CheckpointMetrics(() -> self.get().leaseStore().status().heldLeases().size());
    private final DynamoDbCheckpointer workerA = DynamoDbCheckpointer.builder()
            .dynamoDbClient(TestDynamoDb.shared().newClient(faults)).tableName(table).workerId("worker-a")
            .enableLeaseStealing(true).monotonicClock(nanosA::get).listener(metrics).build();
    private final DynamoDbCheckpointer workerB = DynamoDbCheckpointer.builder()
            .dynamoDbClient(TestDynamoDb.shared().newClient()).tableName(table).workerId("worker-b")
            .enableLeaseStealing(true).monotonicClock(nanosB::get).build();

    @Test
    void metersFollowWhatTheCheckpointerDoes() {
        self.set(workerA);
        metrics.bindTo(registry);
        workerA.init();

        ShardStatus one = new ShardStatus("shard-1");
        workerA.getLease(one, "worker-a");
        workerA.getLease(new ShardStatus("shard-2"), "worker-a");
        one.setCheckpoint("10");
        workerA.checkpointSequence(one);
        workerA.removeLeaseOwner("shard-2");
        faults.throttleNext(1);
        workerA.getLease(one, "worker-a");

        assertThat(registry.get("checkpoint.leases.owned").gauge().value()).isEqualTo(1);
        assertThat(registry.get("checkpoint.leases.acquired").counter().count()).isEqualTo(2);
        assertThat(registry.get("checkpoint.leases.released").counter().count()).isEqualTo(1);
        assertThat(registry.get("checkpoint.writes").tag("outcome", "accepted").timer().count()).isEqualTo(1);
        assertThat(registry.get("checkpoint.dynamodb.requests").tag("operation", "take_lease").tag("outcome", "success")
                .timer().count()).isEqualTo(2);
        assertThat(registry.get("checkpoint.dynamodb.requests").tag("operation", "renew_lease").tag("outcome", "throttled")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get("checkpoint.dynamodb.requests").tag("operation", "renew_lease").tag("outcome", "throttled").timer().count()).isEqualTo(1);

        // worker B takes shard-1 over once it has seen it unchanged for a lease duration
        workerB.listLeases();
        nanosB.addAndGet(Duration.ofSeconds(11).toNanos());
        workerB.getLease(new ShardStatus("shard-1"), "worker-b");
        one.setCheckpoint("11");
        assertThatThrownBy(() -> workerA.checkpointSequence(one)).isInstanceOf(LeaseLostException.class);

        assertThat(registry.get("checkpoint.leases.lost").counter().count()).isEqualTo(1);
        assertThat(registry.get("checkpoint.writes").tag("outcome", "refused").timer().count()).isEqualTo(1);
        assertThat(registry.get("checkpoint.leases.owned").gauge().value()).isZero();

        // and A steals it back by claim, after B releases
        ShardStatus seen = new ShardStatus("shard-1");
        workerA.fetchCheckpoint(seen);
        workerA.claimShard(seen, "worker-a");
        workerB.removeLeaseOwner("shard-1");
        workerA.getLease(new ShardStatus("shard-1"), "worker-a");
        assertThat(registry.get("checkpoint.leases.stolen").counter().count()).isEqualTo(1);
    }

    @Test
    void resetsAreCountedWhenRequestedAndWhenApplied() {
        self.set(workerA);
        metrics.bindTo(registry);
        workerA.init();
        ShardStatus one = new ShardStatus("shard-1");
        workerA.getLease(one, "worker-a");

        workerA.leaseStore().requestReset("shard-1", StartingPosition.trimHorizon(), "alice");
        assertThat(registry.get("checkpoint.resets").tag("stage", "requested").counter().count()).isEqualTo(1);
        assertThat(registry.find("checkpoint.resets").tag("stage", "applied").counter()).isNull();
        workerA.leaseStore().take("shard-1", null);

        assertThat(registry.get("checkpoint.resets").tag("stage", "applied").counter().count()).isEqualTo(1);
    }
}
