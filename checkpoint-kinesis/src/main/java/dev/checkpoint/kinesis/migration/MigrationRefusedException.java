package dev.checkpoint.kinesis.migration;

/**
 * An import or export that wrote nothing: the other side still runs, a table is of neither layout, a row cannot be
 * read, or the rows do not belong to the stream. The message says which, naming the rows.
 */
public class MigrationRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MigrationRefusedException(String message) {
        super(message);
    }
}
