package dev.checkpoint.actuate;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;

/** Reads a reset position as the {@code leases} endpoint takes it: kebab-case, with its timestamp or sequence number. */
final class ResetPositions {

    private static final String KINDS = "trim-horizon, latest, at-timestamp or at-sequence-number";

    private ResetPositions() {
    }

    /** @throws IllegalArgumentException naming the field that is wrong */
    static StartingPosition parse(@Nullable String position, @Nullable String timestamp, @Nullable String sequenceNumber) {
        if (position == null || position.isBlank()) {
            throw new IllegalArgumentException("position is required: " + KINDS);
        }
        String kind = position.trim().toLowerCase(Locale.ROOT);
        if (!kind.equals("at-timestamp") && timestamp != null) {
            throw new IllegalArgumentException("timestamp goes with position at-timestamp only, not " + position);
        }
        if (!kind.equals("at-sequence-number") && sequenceNumber != null) {
            throw new IllegalArgumentException("sequenceNumber goes with position at-sequence-number only, not " + position);
        }
        return switch (kind) {
            case "trim-horizon" -> StartingPosition.trimHorizon();
            case "latest" -> StartingPosition.latest();
            case "at-timestamp" -> StartingPosition.atTimestamp(instant(timestamp));
            case "at-sequence-number" -> {
                if (sequenceNumber == null || sequenceNumber.isBlank()) {
                    throw new IllegalArgumentException("sequenceNumber is required with position at-sequence-number");
                }
                yield StartingPosition.atSequenceNumber(sequenceNumber.trim());
            }
            default -> throw new IllegalArgumentException("position '" + position + "' is not one of " + KINDS);
        };
    }

    private static Instant instant(@Nullable String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            throw new IllegalArgumentException("timestamp is required with position at-timestamp, such as 2026-11-29T10:00:00Z");
        }
        try {
            return Instant.parse(timestamp.trim());
        }
        catch (DateTimeParseException unreadable) {
            throw new IllegalArgumentException("timestamp '" + timestamp + "' is not an ISO-8601 instant such as "
                    + "2026-11-29T10:00:00Z");
        }
    }
}
