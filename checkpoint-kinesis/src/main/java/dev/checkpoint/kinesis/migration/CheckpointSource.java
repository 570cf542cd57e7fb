package dev.checkpoint.kinesis.migration;

import java.util.List;

/** Another library's record of a consumer's progress on one stream: what {@link CheckpointImport} reads. */
public interface CheckpointSource {

    /**
     * Every shard's progress, read now with consistent reads.
     *
     * @throws MigrationRefusedException when the table is not of the expected layout, or a row cannot be read; the
     *         message names the row
     */
    List<SourceCheckpoint> read();

    /** In words, for reports and audit lines: "KCL lease table orders-app (stream orders)". */
    String describe();
}
