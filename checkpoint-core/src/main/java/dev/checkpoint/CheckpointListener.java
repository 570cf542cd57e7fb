package dev.checkpoint;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Told what a checkpointer does, for metrics and logs. Called on the thread that made the call; it must return
 * quickly and must not throw. Every method does nothing by default.
 */
public interface CheckpointListener {

    /** One listener that tells each of {@code listeners}, in order; a listener that throws does not stop the others. */
    static CheckpointListener composite(List<? extends CheckpointListener> listeners) {
        List<CheckpointListener> all = List.copyOf(listeners);
        return all.size() == 1 ? all.get(0) : new CompositeCheckpointListener(all);
    }

    /** One DynamoDB request (each retry is a request of its own) ended. */
    default void requestCompleted(CheckpointOperation operation, RequestOutcome outcome, Duration latency) {
    }

    /**
     * This worker took a lease.
     *
     * @param previousOwner the owner it was taken from, when it had one (an expired lease), else {@code null}
     * @param claimed whether this worker had claimed the shard (lease stealing)
     */
    default void leaseAcquired(String shardId, @Nullable String previousOwner, boolean claimed) {
    }

    /** This worker renewed a lease it held. */
    default void leaseRenewed(String shardId) {
    }

    /** A lease this worker held turned out to be taken by another worker, or deleted. */
    default void leaseLost(String shardId) {
    }

    /** This worker released a lease. */
    default void leaseReleased(String shardId) {
    }

    /** An operator's reset was written on a lease row: {@code receipt} says what it replaces. */
    default void resetRequested(ResetReceipt receipt) {
    }

    /** This worker applied a reset by taking the lease: the shard starts again from {@code reset.to()}. */
    default void resetApplied(String shardId, PendingReset reset) {
    }

    /** A checkpoint write ended: {@code accepted} is false when fencing refused it. */
    default void checkpointWritten(String shardId, Duration latency, boolean accepted) {
    }
}
