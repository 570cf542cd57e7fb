package dev.checkpoint.kinesis;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.coordinator.OwnedShard;
import org.jspecify.annotations.Nullable;

/**
 * A place in a shard: a record's sequence number and, inside an aggregated record, the user record's index. A
 * position without a sub-sequence number stands for the whole record, after all of its user records.
 */
record Position(String sequenceNumber, @Nullable Long subSequenceNumber) {

    /** Where the shard's stored checkpoint is, or {@code null} when it has none to resume after. */
    static @Nullable Position storedIn(OwnedShard shard) {
        String stored = shard.checkpoint();
        return stored == null || stored.equals(CheckpointConstants.SHARD_END) ? null
                : new Position(stored, shard.checkpointSubSequenceNumber());
    }

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
     * Whether a record read at this position is past {@code checkpoint} ({@code null}: nothing yet), and so still to
     * process: as {@link #isAfter}, except that a record that is no aggregate counts as its own user record 0, as the
     * Java KCL counts it (its checkpoint of such a record carries sub-sequence number 0, and an imported one must not
     * make the record be read again).
     */
    boolean isPast(@Nullable Position checkpoint) {
        if (checkpoint != null && subSequenceNumber == null && checkpoint.subSequenceNumber != null
                && compareSequenceNumbers(sequenceNumber, checkpoint.sequenceNumber) == 0) {
            return false;
        }
        return isAfter(checkpoint);
    }

    /**
     * Kinesis sequence numbers are decimal integers of up to 128 digits: a longer one is greater, and equal lengths
     * compare as text.
     */
    static int compareSequenceNumbers(String a, String b) {
        return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
    }

    /** As stored: the sequence number, and {@code /n} inside an aggregate. */
    @Override
    public String toString() {
        return subSequenceNumber == null ? sequenceNumber : sequenceNumber + "/" + subSequenceNumber;
    }
}
