package dev.checkpoint;

import java.time.Instant;
import java.util.Objects;

/**
 * A reset written on a lease row and not yet applied: the shard's checkpoint is to be replaced by {@code to}. While it
 * stands, the owner's renewals and checkpoints are refused; the next take of the lease (by the owner, once its
 * processing has stopped, or by any worker) applies it.
 *
 * @param id identifies this reset: a take applies it only if it is still the one on the row
 * @param to where processing is to start again
 * @param requestedBy who asked for it, for the audit trail
 * @param requestedAt when it was asked for, by the requester's clock
 */
public record PendingReset(String id, StartingPosition to, String requestedBy, Instant requestedAt) {

    public PendingReset {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
