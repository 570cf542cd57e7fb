package dev.checkpoint;

/** How the workers of a lease table keep their leases alive. A table is in one mode: a worker of the other is refused. */
public enum RenewalMode {

    /**
     * Each lease is renewed with a write of its own row, every renew interval: the Go library's and the KCL's way, and
     * the default. Writes grow with the shards.
     */
    LEASE,

    /**
     * Each worker renews one heartbeat row of its own, every renew interval, whatever number of leases it holds; a
     * lease row names its owner and the owner's epoch, and stays alive while the owner's heartbeat moves. Writes grow
     * with the workers. Lease rows are written only when a lease changes hands, and at checkpoints, so fencing stays
     * per lease. Not understood by the Go library.
     */
    WORKER;

    /** As written in properties and on the table's mode row: {@code lease}, {@code worker}. */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
