package dev.checkpoint.kinesis;

import java.time.Instant;
import java.util.Objects;

import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;

/**
 * Where a shard without a checkpoint is read from.
 *
 * <p>A child of a reshard whose parent is still listed (so this application read the parent to its end, as parents
 * are read first) is read from its start, whatever this says: its first records were written right after the parent's
 * last, and starting at {@code LATEST} would skip them without a trace. The Java KCL does the same. {@code AT_TIMESTAMP}
 * is applied to such children too, as it cannot skip a record written after the timestamp.
 */
public final class InitialPosition {

    /** The kinds of starting position, as Kinesis names its iterators. */
    public enum Kind {
        TRIM_HORIZON, LATEST, AT_TIMESTAMP
    }

    private static final InitialPosition TRIM_HORIZON = new InitialPosition(Kind.TRIM_HORIZON, null);
    private static final InitialPosition LATEST = new InitialPosition(Kind.LATEST, null);

    private final Kind kind;
    private final @Nullable Instant timestamp;

    private InitialPosition(Kind kind, @Nullable Instant timestamp) {
        this.kind = kind;
        this.timestamp = timestamp;
    }

    /** The oldest record the stream keeps. */
    public static InitialPosition trimHorizon() {
        return TRIM_HORIZON;
    }

    /** Only records put after the shard is first read. */
    public static InitialPosition latest() {
        return LATEST;
    }

    /** The first record put at or after {@code timestamp}. */
    public static InitialPosition atTimestamp(Instant timestamp) {
        return new InitialPosition(Kind.AT_TIMESTAMP, Objects.requireNonNull(timestamp, "timestamp"));
    }

    public Kind kind() {
        return kind;
    }

    /** The timestamp of {@link Kind#AT_TIMESTAMP}, else {@code null}. */
    public @Nullable Instant timestamp() {
        return timestamp;
    }

    /** Where a child of a reshard starts: from its start, unless at a timestamp. */
    InitialPosition forChildOfFinishedParent() {
        return kind == Kind.AT_TIMESTAMP ? this : TRIM_HORIZON;
    }

    /** As the core's position, where an operator's reset would say the same. */
    StartingPosition toStartingPosition() {
        return switch (kind) {
            case TRIM_HORIZON -> StartingPosition.trimHorizon();
            case LATEST -> StartingPosition.latest();
            case AT_TIMESTAMP -> StartingPosition.atTimestamp(timestamp);
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof InitialPosition position && position.kind == kind && Objects.equals(position.timestamp, timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, timestamp);
    }

    @Override
    public String toString() {
        return timestamp == null ? kind.name() : kind.name() + "(" + timestamp + ")";
    }
}
