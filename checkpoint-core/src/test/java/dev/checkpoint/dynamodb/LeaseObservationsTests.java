package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import dev.checkpoint.Lease;
import org.junit.jupiter.api.Test;

/** What a worker has seen of each row, and for how long. */
class LeaseObservationsTests {

    private final ManualMonotonicClock clock = new ManualMonotonicClock();
    private final LeaseObservations observations = new LeaseObservations(clock, Duration.ofSeconds(10), Duration.ofSeconds(30));

    @Test
    void aScanThatBeganBeforeAnOwnTakeDoesNotPutTheOldRowBack() {
        // The sync's scan read the row released (counter 4); meanwhile a pending claim took it (counter 5).
        observations.observeOwnWrite(new Lease("s", "me", Instant.EPOCH, 5, "cp", null, null), "t5", clock.nanoTime());

        observations.observe(new Lease("s", null, null, 4, "cp", null, "me"), null, false);

        assertThat(observations.get("s").lease().owner()).isEqualTo("me");
        assertThat(observations.get("s").lease().leaseCounter()).isEqualTo(5);
    }

    @Test
    void aNewerRowReplacesWhatWasSeenAndRestartsItsAge() {
        observations.observe(new Lease("s", "other", Instant.EPOCH, 4, "cp", null, null), "t4", false);
        clock.advance(Duration.ofSeconds(8));

        observations.observe(new Lease("s", "other", Instant.EPOCH, 5, "cp", null, null), "t5", false);
        clock.advance(Duration.ofSeconds(8));

        assertThat(observations.isExpired(observations.get("s"), clock.nanoTime())).isFalse();
    }

    @Test
    void aRowWithoutCounterIsAlwaysRecorded() {
        observations.observe(new Lease("s", "me", Instant.EPOCH, 3, "cp", null, null), "t3", false);

        observations.observe(new Lease("s", null, null, 0, null, null, null), null, false);

        assertThat(observations.get("s").lease().isOwned()).isFalse();
    }
}
