package dev.checkpoint.dynamodb;

import static dev.checkpoint.CheckpointConstants.CLAIM_REQUEST_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_COUNTER_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_KEY_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_OWNER_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_TIMEOUT_KEY;
import static dev.checkpoint.CheckpointConstants.PARENT_SHARD_ID_KEY;
import static dev.checkpoint.CheckpointConstants.CHECKPOINT_SUB_SEQUENCE_KEY;
import static dev.checkpoint.CheckpointConstants.SEQUENCE_NUMBER_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_ID_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_REQUESTED_AT_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_REQUESTED_BY_KEY;
import static dev.checkpoint.CheckpointConstants.RESET_TO_KEY;
import static dev.checkpoint.CheckpointConstants.STARTING_POSITION_KEY;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import dev.checkpoint.Lease;
import dev.checkpoint.MalformedLeaseException;
import dev.checkpoint.PendingReset;
import dev.checkpoint.StartingPosition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import org.jspecify.annotations.Nullable;

/**
 * Turns rows of the lease table into {@link Lease} values and back. Rows written by the Go library (no
 * {@code LeaseCounter}, timeouts in RFC 3339 with nanoseconds) are read as they are. A row that cannot be
 * read gives a {@link MalformedLeaseException} naming the shard and the attribute.
 */
final class LeaseSerializer {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private LeaseSerializer() {
    }

    static AttributeValue string(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** The timeout as the Go library writes it: see {@link #goRfc3339Nano(Instant)}. */
    static AttributeValue timeout(Instant timeout) {
        return string(goRfc3339Nano(timeout));
    }

    /**
     * Exactly Go's {@code time.RFC3339Nano} of a UTC time: the fraction of a second without trailing zeros, and
     * without the dot when nothing is left ({@code 2026-11-29T15:36:28.54101439Z}, {@code 2026-11-29T15:36:28Z}).
     * A Go worker's {@code ClaimShard} re-formats the stored timeout this way and writes on condition that the two
     * strings are equal, so any other spelling of the same instant makes its claims fail.
     */
    static String goRfc3339Nano(Instant time) {
        String seconds = SECONDS.format(time);
        int nanos = time.getNano();
        if (nanos == 0) {
            return seconds + "Z";
        }
        String digits = Integer.toString(nanos);
        String fraction = "000000000".substring(digits.length()) + digits;   // nine digits, without String.format's cost
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return seconds + "." + fraction.substring(0, end) + "Z";
    }

    /** Whether {@code AssignedTo} is there but empty: what the Go library leaves when a checkpoint lands after its release. */
    static boolean ownerBlank(Map<String, AttributeValue> item) {
        AttributeValue owner = item.get(LEASE_OWNER_KEY);
        return owner != null && "".equals(owner.s());
    }

    /** {@code LeaseTimeout} exactly as stored, or {@code null}. */
    static @Nullable String timeoutText(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(LEASE_TIMEOUT_KEY);
        return value == null ? null : value.s();
    }

    static Lease toLease(Map<String, AttributeValue> item) {
        AttributeValue keyValue = item.get(LEASE_KEY_KEY);
        if (keyValue == null || keyValue.s() == null || keyValue.s().isEmpty()) {
            throw new MalformedLeaseException(null, LEASE_KEY_KEY, "is missing or not a string: " + item);
        }
        String shardId = keyValue.s();
        return new Lease(shardId,
                optionalString(shardId, item, LEASE_OWNER_KEY),
                optionalInstant(shardId, item, LEASE_TIMEOUT_KEY),
                optionalCounter(shardId, item),
                optionalString(shardId, item, SEQUENCE_NUMBER_KEY),
                optionalString(shardId, item, PARENT_SHARD_ID_KEY),
                optionalString(shardId, item, CLAIM_REQUEST_KEY),
                optionalSubSequence(shardId, item),
                pendingReset(shardId, item),
                optionalPosition(shardId, item, STARTING_POSITION_KEY));
    }

    /** The reset standing on the row: all four of its attributes, or none. */
    private static @Nullable PendingReset pendingReset(String shardId, Map<String, AttributeValue> item) {
        StartingPosition to = optionalPosition(shardId, item, RESET_TO_KEY);
        if (to == null) {
            return null;
        }
        String id = optionalString(shardId, item, RESET_ID_KEY);
        String by = optionalString(shardId, item, RESET_REQUESTED_BY_KEY);
        Instant at = optionalInstant(shardId, item, RESET_REQUESTED_AT_KEY);
        if (id == null || by == null || at == null) {
            String missing = id == null ? RESET_ID_KEY : by == null ? RESET_REQUESTED_BY_KEY : RESET_REQUESTED_AT_KEY;
            throw new MalformedLeaseException(shardId, missing, "is missing, but " + RESET_TO_KEY + " is there");
        }
        return new PendingReset(id, to, by, at);
    }

    private static @Nullable StartingPosition optionalPosition(String shardId, Map<String, AttributeValue> item,
            String attribute) {
        String text = optionalString(shardId, item, attribute);
        if (text == null) {
            return null;
        }
        try {
            return StartingPosition.parse(text);
        }
        catch (IllegalArgumentException unreadable) {
            throw new MalformedLeaseException(shardId, attribute, unreadable.getMessage());
        }
    }

    private static @Nullable Long optionalSubSequence(String shardId, Map<String, AttributeValue> item) {
        AttributeValue value = item.get(CHECKPOINT_SUB_SEQUENCE_KEY);
        if (value == null || Boolean.TRUE.equals(value.nul())) {
            return null;
        }
        try {
            return Long.parseLong(value.n());
        }
        catch (NumberFormatException | NullPointerException unreadable) {
            throw new MalformedLeaseException(shardId, CHECKPOINT_SUB_SEQUENCE_KEY, "must be a whole number (N) but is " + value);
        }
    }

    private static @Nullable String optionalString(String shardId, Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        if (value == null || Boolean.TRUE.equals(value.nul())) {
            return null;
        }
        if (value.s() == null) {
            throw new MalformedLeaseException(shardId, attribute, "must be a string (S) but is " + value.type());
        }
        // An empty string is how a blanked attribute looks; it means "none".
        return value.s().isEmpty() ? null : value.s();
    }

    private static @Nullable Instant optionalInstant(String shardId, Map<String, AttributeValue> item, String attribute) {
        String text = optionalString(shardId, item, attribute);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        }
        catch (DateTimeParseException unreadable) {
            throw new MalformedLeaseException(shardId, attribute, "is not an RFC 3339 time: '" + text + "'");
        }
    }

    private static long optionalCounter(String shardId, Map<String, AttributeValue> item) {
        AttributeValue value = item.get(LEASE_COUNTER_KEY);
        if (value == null) {
            return 0;
        }
        if (value.n() == null) {
            throw new MalformedLeaseException(shardId, LEASE_COUNTER_KEY, "must be a number (N) but is " + value.type());
        }
        try {
            long counter = Long.parseLong(value.n());
            if (counter < 0) {
                throw new MalformedLeaseException(shardId, LEASE_COUNTER_KEY, "must not be negative: " + value.n());
            }
            return counter;
        }
        catch (NumberFormatException notAWholeNumber) {
            throw new MalformedLeaseException(shardId, LEASE_COUNTER_KEY, "is not a whole number: " + value.n());
        }
    }
}
