package dev.checkpoint;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Where processing of a shard starts when it has no checkpoint: the position an operator reset it to. Stored on the
 * lease row as text ({@link #toString()}): {@code TRIM_HORIZON}, {@code LATEST},
 * {@code AT_TIMESTAMP 2026-11-29T10:15:30Z} or {@code AT_SEQUENCE_NUMBER 49590338271490256608559692538361571095921575989136588898}.
 *
 * @param kind which position
 * @param timestamp for {@link Kind#AT_TIMESTAMP}, the first moment to read from; else {@code null}
 * @param sequenceNumber for {@link Kind#AT_SEQUENCE_NUMBER}, the first record to process; else {@code null}
 */
public record StartingPosition(Kind kind, @Nullable Instant timestamp, @Nullable String sequenceNumber) {

    /** The kinds of position, named as Kinesis names its shard iterator types. */
    public enum Kind {
        /** The oldest record still in the stream. */
        TRIM_HORIZON,
        /** Only records written from now on. */
        LATEST,
        /** The first record written at or after a moment. */
        AT_TIMESTAMP,
        /** The record with a given sequence number, which is processed again. */
        AT_SEQUENCE_NUMBER
    }

    public StartingPosition {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.AT_TIMESTAMP) != (timestamp != null)) {
            throw new IllegalArgumentException("a timestamp is given with AT_TIMESTAMP, and only with it");
        }
        if ((kind == Kind.AT_SEQUENCE_NUMBER) != (sequenceNumber != null)) {
            throw new IllegalArgumentException("a sequence number is given with AT_SEQUENCE_NUMBER, and only with it");
        }
        if (sequenceNumber != null && (sequenceNumber.isBlank() || sequenceNumber.contains(" ")
                || CheckpointConstants.SHARD_END.equals(sequenceNumber))) {
            throw new IllegalArgumentException("not a sequence number: '" + sequenceNumber + "'");
        }
    }

    /** The oldest record still in the stream. */
    public static StartingPosition trimHorizon() {
        return new StartingPosition(Kind.TRIM_HORIZON, null, null);
    }

    /** Records written from now on. */
    public static StartingPosition latest() {
        return new StartingPosition(Kind.LATEST, null, null);
    }

    /** The first record written at or after {@code timestamp}. */
    public static StartingPosition atTimestamp(Instant timestamp) {
        return new StartingPosition(Kind.AT_TIMESTAMP, Objects.requireNonNull(timestamp, "timestamp"), null);
    }

    /** The record {@code sequenceNumber}, which is processed again, and those after it. */
    public static StartingPosition atSequenceNumber(String sequenceNumber) {
        return new StartingPosition(Kind.AT_SEQUENCE_NUMBER, null, Objects.requireNonNull(sequenceNumber, "sequenceNumber"));
    }

    /**
     * Reads a position as {@link #toString()} writes it.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static StartingPosition parse(String text) {
        Objects.requireNonNull(text, "text");
        int space = text.indexOf(' ');
        String kindName = space < 0 ? text : text.substring(0, space);
        String argument = space < 0 ? null : text.substring(space + 1);
        Kind kind;
        try {
            kind = Kind.valueOf(kindName);
        }
        catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("'" + text + "' is not a starting position: TRIM_HORIZON, LATEST, "
                    + "AT_TIMESTAMP <instant> or AT_SEQUENCE_NUMBER <sequence number>");
        }
        if ((kind == Kind.AT_TIMESTAMP || kind == Kind.AT_SEQUENCE_NUMBER) != (argument != null)) {
            throw new IllegalArgumentException("'" + text + "': " + kind + (argument == null ? " needs" : " takes no")
                    + " argument");
        }
        try {
            return switch (kind) {
                case TRIM_HORIZON -> trimHorizon();
                case LATEST -> latest();
                case AT_TIMESTAMP -> atTimestamp(Instant.parse(argument));
                case AT_SEQUENCE_NUMBER -> atSequenceNumber(argument);
            };
        }
        catch (DateTimeParseException notAnInstant) {
            throw new IllegalArgumentException("'" + argument + "' is not an instant such as 2026-11-29T10:15:30Z");
        }
    }

    /** As stored on the row, and read by {@link #parse(String)}. */
    @Override
    public String toString() {
        return switch (kind) {
            case AT_TIMESTAMP -> kind + " " + timestamp;
            case AT_SEQUENCE_NUMBER -> kind + " " + sequenceNumber;
            default -> kind.name();
        };
    }
}
