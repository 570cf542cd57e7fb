package dev.checkpoint.kinesis;

import org.jspecify.annotations.Nullable;

/**
 * A place in a shard: a record's sequence number and, inside an aggregated record, the user record's index. A
 * position without a sub-sequence number stands for the whole record, after all of its user records.
 */
record Position(String sequenceNumber, @Nullable Long subSequenceNumber) {

    /** Whether this comes after {@code other} ({@code null}: nothing yet). */
    boolean isAfter(@Nullable Position other) {
        if (other == null) {
            return true;
        }
        int bySequence = compareSequenceNumbers(sequenceNumber, other.sequenceNumber);
        if (bySequence != 0) {
            return bySequence > 0;
        }
        if (subSequenceNumber == null) {
            return other.subSequenceNumber != null;
        }
        return other.subSequenceNumber != null && subSequenceNumber > other.subSequenceNumber;
    }

    /**
     * Kinesis sequence numbers are decimal integers of up to 128 digits: a longer one is greater, and equal lengths
     * compare as text.
     */
    static int compareSequenceNumbers(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }
}
