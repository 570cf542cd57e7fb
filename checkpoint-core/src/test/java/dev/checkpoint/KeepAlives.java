package dev.checkpoint;

/** A store's keep-alive object of the mode a test expects, or the test fails naming the mode it found. */
public final class KeepAlives {

    private KeepAlives() {
    }

    public static KeepAlive.ByRenewal renewal(LeaseStore store) {
        KeepAlive keepAlive = store.keepAlive();
        if (keepAlive instanceof KeepAlive.ByRenewal renewal) {
            return renewal;
        }
        throw new AssertionError("the store keeps its leases alive in " + keepAlive.mode() + " mode, not by renewals");
    }

    public static KeepAlive.ByHeartbeat heartbeats(LeaseStore store) {
        KeepAlive keepAlive = store.keepAlive();
        if (keepAlive instanceof KeepAlive.ByHeartbeat heartbeats) {
            return heartbeats;
        }
        throw new AssertionError("the store keeps its leases alive in " + keepAlive.mode() + " mode, not by heartbeats");
    }
}
