package dev.checkpoint.chaos;

/** The faults a chaos run injects, with how often each is picked relative to the others. */
enum Fault {

    /** A worker process dies without releasing anything; a new one replaces it a few seconds later. */
    KILL("workers killed", 2),
    /** A worker stands still for longer than a lease, then carries on as if nothing happened. */
    FREEZE("workers frozen longer than a lease", 2),
    /** A worker's wall clock jumps to up to five lease durations ahead or behind. */
    SKEW_CLOCK("wall clocks skewed", 2),
    /** A worker's next requests are throttled by DynamoDB. */
    THROTTLE("throttling bursts", 2),
    /** A worker's requests hang past the request timeout for a moment. */
    TIMEOUTS("request-timeout bursts", 2),
    /** A worker's next requests reach DynamoDB but their answers are lost. */
    LOST_RESPONSES("lost-response bursts", 2),
    /** dynalite is killed and started again on the same port and data. */
    RESTART_DYNAMODB("dynalite restarts", 1),
    /** An operator resets a shard to the trim horizon or to a sequence number, while its owner writes. */
    RESET("resets by an operator", 2);

    private final String description;
    private final int weight;

    Fault(String description, int weight) {
        this.description = description;
        this.weight = weight;
    }

    String description() {
        return description;
    }

    int weight() {
        return weight;
    }
}
