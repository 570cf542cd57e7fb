package dev.checkpoint.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.FaultInjector;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class CheckpointHealthIndicatorTests {

    private final FaultInjector faults = new FaultInjector();
    private final AtomicLong nanos = new AtomicLong();
    private final String table = "leases-" + UUID.randomUUID().toString().substring(0, 8);
    private final DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder()
            .dynamoDbClient(TestDynamoDb.shared().newClient(faults)).tableName(table).workerId("worker-1")
            .leaseDuration(Duration.ofSeconds(10)).retries(0).monotonicClock(nanos::get).build();
    private final CheckpointHealthIndicator indicator = new CheckpointHealthIndicator(checkpointer.leaseStore(), null);

    @Test
    void upWithDetailsWhenTheTableIsActiveAndRenewalsSucceed() {
        checkpointer.init();
        checkpointer.getLease(new ShardStatus("shard-1"), "worker-1");
        checkpointer.listLeases();
        nanos.addAndGet(Duration.ofMillis(1500).toNanos());

        Health health = indicator.health(true);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("table", table).containsEntry("workerId", "worker-1")
                .containsEntry("leasesOwned", 1).containsEntry("lastSyncAge", "1500ms")
                .containsEntry("lastRenewalAge", "1500ms");
    }

    @Test
    void downWhenTheTableIsMissing() {
        Health health = indicator.health(true);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "lease table " + table + " does not exist")
                .containsEntry("lastSyncAge", "never");
    }

    @Test
    void downWithTheErrorWhenDynamoDbIsUnreachable() {
        checkpointer.init();
        faults.setUnreachable(true);

        Health health = indicator.health(true);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(health.getDetails().get("error"))).contains("describe table").contains("connection refused");
        assertThat(faults.injected()).as("one request, no retry").isEqualTo(1);
    }

    @Test
    void downWhenRenewalsFailForLongerThanALeaseDurationAndUpAgainAfter() {
        checkpointer.init();
        ShardStatus shard = new ShardStatus("shard-1");
        checkpointer.getLease(shard, "worker-1");
        faults.throttleNext(1);
        assertThatThrownBy(() -> checkpointer.getLease(shard, "worker-1")).isInstanceOf(CheckpointStoreException.class);

        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(indicator.health(true).getStatus()).as("failing for exactly one lease duration").isEqualTo(Status.UP);
        nanos.addAndGet(1);
        Health failing = indicator.health(true);
        assertThat(failing.getStatus()).isEqualTo(Status.DOWN);
        assertThat(String.valueOf(failing.getDetails().get("reason"))).contains("renewals have been failing for 10000ms");

        checkpointer.getLease(shard, "worker-1");
        assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
    }
}
