package dev.checkpoint.autoconfigure;

import dev.checkpoint.TableNotFoundException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a missing lease table when table creation is switched off. */
class TableNotFoundFailureAnalyzer extends AbstractFailureAnalyzer<TableNotFoundException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, TableNotFoundException cause) {
        return new FailureAnalysis("The lease table '" + cause.getTableName()
                + "' does not exist, and checkpoint.create-table is false.",
                "Create the table with hash key ShardID of type S (string), set checkpoint.create-table=true so that"
                        + " it is created at start-up, or point checkpoint.table-name at an existing lease table.",
                cause);
    }
}
