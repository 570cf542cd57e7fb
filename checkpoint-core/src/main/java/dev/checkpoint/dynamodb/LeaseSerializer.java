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

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
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
        LocalDateTime utc = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
        if (utc.getYear() < 0 || utc.getYear() > 9999) {
            return SECONDS.format(time) + fraction(time.getNano()) + "Z";   // outside four digits: the formatter's way
        }
        // Written by hand, as every take and renewal writes one: the formatter costs microseconds each time.
        StringBuilder text = new StringBuilder(30);
        pad(text, utc.getYear(), 4).append('-');
        pad(text, utc.getMonthValue(), 2).append('-');
        pad(text, utc.getDayOfMonth(), 2).append('T');
        pad(text, utc.getHour(), 2).append(':');
        pad(text, utc.getMinute(), 2).append(':');
        pad(text, utc.getSecond(), 2);
        return text.append(fraction(time.getNano())).append('Z').toString();
    }

    /** Go's fraction of a second: a dot and the nanoseconds without trailing zeros, or nothing for none. */
    private static String fraction(int nanos) {
        if (nanos == 0) {
            return "";
        }
        String digits = Integer.toString(nanos);
        String fraction = "000000000".substring(digits.length()) + digits;
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return "." + fraction.substring(0, end);
    }

    private static StringBuilder pad(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }

    /** Whether {@code AssignedTo} is there but empty: what the Go library leaves when a checkpoint lands after its release. */
    static boolean ownerBlank(Map<String, AttributeValue> item) {
        AttributeValue owner = item.get(LEASE_OWNER_KEY);
        return owner != null && "".equals(owner.s());
    }

    /** {@code OwnerEpoch}: in worker renewal mode, the epoch of the owner's process; else {@code null}. */
    static @Nullable String ownerEpoch(Map<String, AttributeValue> item) {
        AttributeValue value = item.get(dev.checkpoint.CheckpointConstants.OWNER_EPOCH_KEY);
        return value == null ? null : value.s();
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
                optionalPosition(shardId, item, STARTING_POSITION_KEY),
                ownerEpoch(item));
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
            return parseTime(text);
        }
        catch (DateTimeParseException unreadable) {
            throw new MalformedLeaseException(shardId, attribute, "is not an RFC 3339 time: '" + text + "'");
        }
    }

    /**
     * An RFC 3339 time. The form this library and the Go library write for UTC ({@code 2026-11-29T15:36:28.54101439Z}:
     * seconds, up to nine digits of fraction, {@code Z}) is read by hand, since a listing reads one per row and the
     * JDK's parser costs microseconds each; any other form (an offset, say) goes to the JDK's parser.
     *
     * @throws DateTimeParseException when it is no RFC 3339 time
     */
    static Instant parseTime(String text) {
        int length = text.length();
        if (length >= 20 && length <= 30 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(length - 1) == 'Z'
                && (length == 20 || (text.charAt(19) == '.' && length > 21))) {
            int year = digits(text, 0, 4);
            int month = digits(text, 5, 7);
            int day = digits(text, 8, 10);
            int hour = digits(text, 11, 13);
            int minute = digits(text, 14, 16);
            int second = digits(text, 17, 19);
            int nanos = 0;
            if (length > 20) {
                int fractionDigits = length - 21;
                nanos = digits(text, 20, length - 1);
                for (int i = fractionDigits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60
                    && second >= 0 && second < 60 && nanos >= 0) {
                try {
                    long days = LocalDate.of(year, month, day).toEpochDay();
                    return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
                }
                catch (DateTimeException invalidDate) {
                    // not a date: the JDK's parser says why
                }
            }
        }
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /** The number the decimal digits from {@code from} to {@code to} spell, or -1 when one is no digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
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
