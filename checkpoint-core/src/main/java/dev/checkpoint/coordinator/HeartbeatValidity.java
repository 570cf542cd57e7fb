package dev.checkpoint.coordinator;

/**
 * Worker renewal mode: until when this worker's leases are valid, a lease duration after its last successful heartbeat
 * (or its registration) was sent. Shared by the heartbeat rounds, which move it, and the takes, whose leases are no
 * longer valid than the heartbeat that keeps them. A take sent before the registration lapsed wrote the old epoch into
 * its row, which the other workers take at once once the epoch is gone: such a lease is never valid, and no heartbeat
 * of a later registration keeps it alive.
 */
final class HeartbeatValidity {

    private final long leaseNanos;
    private volatile boolean registered;
    private volatile long validUntilNanos;
    private volatile boolean everLapsed;
    private volatile long lapsedAtNanos;

    HeartbeatValidity(long leaseNanos) {
        this.leaseNanos = leaseNanos;
    }

    /** A registration or heartbeat sent at {@code sentNanos} landed. */
    void renewed(long sentNanos) {
        validUntilNanos = sentNanos + leaseNanos;
        registered = true;
    }

    /** The registration is no longer this process's, or ran out, at {@code nowNanos}: it registers again first. */
    void lapsed(long nowNanos) {
        registered = false;
        lapsedAtNanos = nowNanos;
        everLapsed = true;
    }

    /** Whether a take sent at {@code sentNanos} was made under the registration that holds now. */
    boolean covers(long sentNanos) {
        return registered && !(everLapsed && lapsedAtNanos - sentNanos >= 0);
    }

    boolean isRegistered() {
        return registered;
    }

    long validUntilNanos() {
        return validUntilNanos;
    }

    /** Until when a lease taken with a request sent at {@code sentNanos} is valid: no longer than the heartbeat's. */
    long validUntil(long sentNanos) {
        if (!covers(sentNanos)) {
            return sentNanos;
        }
        long byHeartbeat = validUntilNanos;
        return byHeartbeat - (sentNanos + leaseNanos) < 0 ? byHeartbeat : sentNanos + leaseNanos;
    }
}
