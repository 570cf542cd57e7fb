package dev.checkpoint.coordinator;

/**
 * Worker renewal mode: until when this worker's leases are valid, a lease duration after its last successful heartbeat
 * (or its registration) was sent. Shared by the heartbeat rounds, which move it, and the takes, whose leases are no
 * longer valid than the heartbeat that keeps them.
 */
final class HeartbeatValidity {

    private final long leaseNanos;
    private volatile boolean registered;
    private volatile long validUntilNanos;

    HeartbeatValidity(long leaseNanos) {
        this.leaseNanos = leaseNanos;
    }

    /** A registration or heartbeat sent at {@code sentNanos} landed. */
    void renewed(long sentNanos) {
        validUntilNanos = sentNanos + leaseNanos;
        registered = true;
    }

    /** The registration is no longer this process's, or ran out: it registers again before anything else. */
    void lapsed() {
        registered = false;
    }

    boolean isRegistered() {
        return registered;
    }

    long validUntilNanos() {
        return validUntilNanos;
    }

    /** Until when a lease taken with a request sent at {@code sentNanos} is valid: no longer than the heartbeat's. */
    long validUntil(long sentNanos) {
        if (!registered) {
            return sentNanos;
        }
        long byHeartbeat = validUntilNanos;
        return byHeartbeat - (sentNanos + leaseNanos) < 0 ? byHeartbeat : sentNanos + leaseNanos;
    }
}
