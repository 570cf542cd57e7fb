package dev.checkpoint.benchmarks;

/** The operations compared. */
enum Operation {

    TAKE("take a free lease"),
    RENEW("renew an owned lease"),
    CHECKPOINT("write a checkpoint"),
    RELEASE("release"),
    LIST_1000("list 1,000 leases"),
    LIST_10000("list 10,000 leases"),
    SEED_GET_LEASE("renew, the seed's way (read + replace)");

    private final String description;

    Operation(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }

    boolean isListing() {
        return this == LIST_1000 || this == LIST_10000;
    }

    int rows() {
        return this == LIST_1000 ? 1_000 : this == LIST_10000 ? 10_000 : 0;
    }
}
