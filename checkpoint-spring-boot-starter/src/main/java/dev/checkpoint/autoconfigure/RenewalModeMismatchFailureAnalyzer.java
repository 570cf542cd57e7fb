package dev.checkpoint.autoconfigure;

import dev.checkpoint.RenewalModeMismatchException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a lease table whose workers keep their leases alive the other way than this application. */
class RenewalModeMismatchFailureAnalyzer extends AbstractFailureAnalyzer<RenewalModeMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RenewalModeMismatchException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set checkpoint.renewal-mode=" + cause.getTableMode().text() + " like the table's other workers. To move the"
                        + " table to " + cause.getWorkerMode().text() + " mode, stop every worker first (a clean stop"
                        + " releases its leases)" + (cause.getTableMode() == dev.checkpoint.RenewalMode.WORKER
                                ? ", then delete the rows whose ShardID starts with '#worker#' and the row '#mode'" : "")
                        + ", and start them all in the new mode.",
                cause);
    }
}
