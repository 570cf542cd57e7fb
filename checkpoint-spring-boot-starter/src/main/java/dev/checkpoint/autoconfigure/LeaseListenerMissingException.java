package dev.checkpoint.autoconfigure;

/** The application defines a {@code ShardSource} but no {@code LeaseListener}: the coordinator has nobody to hand shards to. */
public class LeaseListenerMissingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LeaseListenerMissingException() {
        super("A ShardSource bean is defined, so the starter runs a LeaseCoordinator, but there is no LeaseListener bean "
                + "to hand the shards to");
    }
}
