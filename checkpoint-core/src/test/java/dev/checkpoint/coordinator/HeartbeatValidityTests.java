package dev.checkpoint.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Worker mode: a lease is valid no longer than the registration its take was made under. The long chaos run found
 * the case: a take on its way while the heartbeat was refused (the worker judged dead) landed after every held lease
 * was ended, was kept alive by the next registration's heartbeats, and overlapped the worker that took the gone
 * epoch's lease at once.
 */
class HeartbeatValidityTests {

    private static final long LEASE = 1_000;

    @Test
    void aLeaseIsValidForALeaseDurationAfterItsTakeWithinTheHeartbeatsValidity() {
        HeartbeatValidity validity = new HeartbeatValidity(LEASE);
        validity.renewed(0);

        assertThat(validity.validUntil(100)).as("no longer than the heartbeat").isEqualTo(LEASE);
        validity.renewed(500);
        assertThat(validity.validUntil(600)).as("no longer than the heartbeat").isEqualTo(500 + LEASE);
        assertThat(validity.covers(600)).isTrue();
    }

    @Test
    void aTakeSentBeforeTheRegistrationLapsedIsNeverValidNorKeptAliveByTheNextRegistration() {
        HeartbeatValidity validity = new HeartbeatValidity(LEASE);
        validity.renewed(0);
        long takeSent = 100;

        validity.lapsed(200);     // the heartbeat was refused while the take was on its way
        assertThat(validity.validUntil(takeSent)).as("nothing is valid while unregistered").isEqualTo(takeSent);
        validity.renewed(300);    // registered again, under a new epoch

        assertThat(validity.validUntil(takeSent)).as("the take wrote the gone epoch").isEqualTo(takeSent);
        assertThat(validity.covers(takeSent)).as("no heartbeat of the new epoch keeps it").isFalse();
        assertThat(validity.covers(400)).as("a take sent after registering again").isTrue();
        assertThat(validity.validUntil(400)).isEqualTo(300 + LEASE);
    }
}
