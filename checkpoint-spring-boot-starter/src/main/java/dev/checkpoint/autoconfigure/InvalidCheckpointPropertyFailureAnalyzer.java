package dev.checkpoint.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains an invalid checkpoint property: which one, its value, what is wrong and what to set. */
class InvalidCheckpointPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCheckpointPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCheckpointPropertyException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
