package dev.checkpoint;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells several listeners, each in turn; see {@link CheckpointListener#composite(List)}. */
final class CompositeCheckpointListener implements CheckpointListener {

    private static final Logger log = LoggerFactory.getLogger(CompositeCheckpointListener.class);

    private final List<CheckpointListener> listeners;

    CompositeCheckpointListener(List<CheckpointListener> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void requestCompleted(CheckpointOperation operation, RequestOutcome outcome, Duration latency) {
        each(listener -> listener.requestCompleted(operation, outcome, latency));
    }

    @Override
    public void leaseAcquired(String shardId, String previousOwner, boolean claimed) {
        each(listener -> listener.leaseAcquired(shardId, previousOwner, claimed));
    }

    @Override
    public void leaseRenewed(String shardId) {
        each(listener -> listener.leaseRenewed(shardId));
    }

    @Override
    public void leaseLost(String shardId) {
        each(listener -> listener.leaseLost(shardId));
    }

    @Override
    public void leaseReleased(String shardId) {
        each(listener -> listener.leaseReleased(shardId));
    }

    @Override
    public void checkpointWritten(String shardId, Duration latency, boolean accepted) {
        each(listener -> listener.checkpointWritten(shardId, latency, accepted));
    }

    @Override
    public void resetRequested(ResetReceipt receipt) {
        each(listener -> listener.resetRequested(receipt));
    }

    @Override
    public void resetApplied(String shardId, PendingReset reset) {
        each(listener -> listener.resetApplied(shardId, reset));
    }

    private void each(Consumer<CheckpointListener> call) {
        for (CheckpointListener listener : listeners) {
            try {
                call.accept(listener);
            }
            catch (RuntimeException failure) {
                log.warn("Checkpoint listener {} failed: {}", listener, failure.toString());
            }
        }
    }
}
