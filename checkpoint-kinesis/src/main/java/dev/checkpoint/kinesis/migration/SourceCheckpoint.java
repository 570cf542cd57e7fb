package dev.checkpoint.kinesis.migration;

import dev.checkpoint.ImportedCheckpoint;
import org.jspecify.annotations.Nullable;

/**
 * One shard's progress as read from another library's table.
 *
 * @param row the row it was read from (its key), for reports and errors
 * @param checkpoint the progress, in this library's terms
 * @param owner the worker that held the shard there, if any
 * @param liveness what moves on the row while the other library's application runs (a KCL lease counter, a lock's
 *        expiry), or {@code null} when nothing does
 */
public record SourceCheckpoint(String row, ImportedCheckpoint checkpoint, @Nullable String owner, @Nullable String liveness) {
}
