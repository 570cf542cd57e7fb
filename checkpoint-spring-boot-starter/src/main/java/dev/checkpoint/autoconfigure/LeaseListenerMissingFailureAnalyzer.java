package dev.checkpoint.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Says what to add when a {@code ShardSource} bean has no {@code LeaseListener} beside it. */
class LeaseListenerMissingFailureAnalyzer extends AbstractFailureAnalyzer<LeaseListenerMissingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, LeaseListenerMissingException cause) {
        return new FailureAnalysis(cause.getMessage() + ".",
                "Define a bean of type dev.checkpoint.coordinator.LeaseListener, which starts and stops the processing "
                        + "of each shard this worker gains and loses; or remove the ShardSource bean if this application "
                        + "only reads and writes checkpoints.", cause);
    }
}
