package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Expiry needs no agreement between clocks: two workers whose wall clocks differ by five lease durations,
 * either way, never take a lease that its owner renews on schedule, and do take one whose owner stopped.
 */
class ClockSkewTests {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    private final DynamoDbClient client = Tables.client();

    @ParameterizedTest(name = "owner clock skew {0} lease durations")
    @ValueSource(ints = { 5, -5 })
    void leaseRenewedOnScheduleIsNeverTakenAndAStoppedOneIs(int skewInLeaseDurations) {
        String table = Tables.newTableName();
        ManualMonotonicClock ownerTime = new ManualMonotonicClock();
        ManualMonotonicClock otherTime = new ManualMonotonicClock();
        Clock ownerWallClock = Clock.fixed(NOW.plus(Tables.LEASE.multipliedBy(skewInLeaseDurations)), ZoneOffset.UTC);
        DynamoDbCheckpointer owner = Tables.initialised(Tables.checkpointer(client, table, "owner", ownerTime)
                .clock(ownerWallClock));
        DynamoDbCheckpointer other = Tables.checkpointer(client, table, "other", otherTime)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();

        ShardStatus held = new ShardStatus("shard-1");
        owner.getLease(held, "owner");
        Duration renewInterval = Tables.LEASE.dividedBy(4);
        for (int tick = 0; tick < 40; tick++) {   // ten lease durations of renewals on schedule
            ownerTime.advance(renewInterval);
            otherTime.advance(renewInterval);
            owner.getLease(held, "owner");
            assertThatThrownBy(() -> other.getLease(new ShardStatus("shard-1"), "other"))
                    .isInstanceOf(LeaseNotAcquiredException.class);
        }
        assertThat(held.getLeaseTimeout()).isEqualTo(ownerWallClock.instant().plus(Tables.LEASE));

        // The owner stops renewing. The other worker waits one lease duration of its own time, then takes over.
        otherTime.advance(Tables.LEASE.minusMillis(1));
        assertThatThrownBy(() -> other.getLease(new ShardStatus("shard-1"), "other"))
                .isInstanceOf(LeaseNotAcquiredException.class);
        otherTime.advance(Duration.ofMillis(2));
        other.getLease(new ShardStatus("shard-1"), "other");
        assertThat(other.getLeaseOwner("shard-1")).isEqualTo("other");
    }
}
