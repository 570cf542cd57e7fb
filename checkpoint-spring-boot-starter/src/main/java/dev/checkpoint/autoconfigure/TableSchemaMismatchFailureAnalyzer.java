package dev.checkpoint.autoconfigure;

import dev.checkpoint.TableSchemaMismatchException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a lease table whose key is not the layout's: ShardID (string), or ConsumerGroup and ShardID (strings). */
class TableSchemaMismatchFailureAnalyzer extends AbstractFailureAnalyzer<TableSchemaMismatchException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TableSchemaMismatchException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set checkpoint.table-name to a lease table keyed by ShardID (S), or, with checkpoint.consumer-group,"
                        + " by ConsumerGroup (S, hash) and ShardID (S, range); or to a new name so that the table is created.",
                cause);
    }
}
