package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

/** The KPL's aggregated format: split into user records, and anything else handed over as it is. */
class DeaggregatorTests {

    @Test
    void anAggregateIsSplitIntoItsUserRecordsWithTheirKeysAndIndexes() {
        byte[] aggregate = Aggregates.aggregate(List.of("key-a", "key-b"), List.of("one", "two", "three"));

        List<KinesisRecord> records = Deaggregator.deaggregate("shard-1", record("42", "outer", aggregate));

        assertThat(records).extracting(record -> record.data().asUtf8String()).containsExactly("one", "two", "three");
        assertThat(records).extracting(KinesisRecord::partitionKey).containsExactly("key-a", "key-b", "key-a");
        assertThat(records).extracting(KinesisRecord::subSequenceNumber).containsExactly(0L, 1L, 2L);
        assertThat(records).extracting(KinesisRecord::sequenceNumber).containsOnly("42");
    }

    @Test
    void anOrdinaryRecordIsOneRecordWithoutASubSequence() {
        List<KinesisRecord> records = Deaggregator.deaggregate("shard-1", record("7", "key", "plain".getBytes()));

        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.data().asUtf8String()).isEqualTo("plain");
            assertThat(record.subSequenceNumber()).isNull();
        });
    }

    @Test
    void theMagicBytesWithAWrongDigestOrAnUnreadableMessageAreHandedOverAsTheyAre() {
        byte[] aggregate = Aggregates.aggregate(List.of("k"), List.of("one"));
        byte[] badDigest = aggregate.clone();
        badDigest[badDigest.length - 1] ^= 1;
        byte[] truncated = Arrays.copyOf(Deaggregator.MAGIC, Deaggregator.MAGIC.length + 20);

        assertThat(Deaggregator.deaggregate("s", record("1", "k", badDigest))).singleElement()
                .satisfies(record -> assertThat(record.data().asByteArray()).isEqualTo(badDigest));
        assertThat(Deaggregator.deaggregate("s", record("1", "k", truncated))).hasSize(1);
    }

    @Test
    void positionsOrderUserRecordsInsideTheirAggregateAndTheWholeRecordAfterThem() {
        Position three = new Position("100", 3L);
        assertThat(new Position("100", 4L).isAfter(three)).isTrue();
        assertThat(new Position("100", 2L).isAfter(three)).isFalse();
        assertThat(new Position("100", null).isAfter(three)).isTrue();
        assertThat(three.isAfter(new Position("100", null))).isFalse();
        assertThat(new Position("99", null).isAfter(three)).isFalse();
        assertThat(new Position("1000", 0L).isAfter(new Position("999", null))).isTrue();
    }

    private static Record record(String sequenceNumber, String partitionKey, byte[] data) {
        return Record.builder().sequenceNumber(sequenceNumber).partitionKey(partitionKey)
                .data(SdkBytes.fromByteArray(data)).build();
    }
}
