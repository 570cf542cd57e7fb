package dev.checkpoint.autoconfigure;

import dev.checkpoint.StreamIdentityMismatchException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a consumer group of a shared lease table that is bound to another stream than this application's. */
class StreamIdentityMismatchFailureAnalyzer extends AbstractFailureAnalyzer<StreamIdentityMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StreamIdentityMismatchException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "If another application uses consumer group '" + cause.getGroup() + "', give this one a checkpoint.consumer-group"
                        + " of its own. If the stream was deleted and created again, the group's checkpoints belong to the old"
                        + " one: use a new checkpoint.consumer-group, or delete the group's rows (ConsumerGroup = '"
                        + cause.getGroup() + "') from the table to start it afresh.",
                cause);
    }
}
