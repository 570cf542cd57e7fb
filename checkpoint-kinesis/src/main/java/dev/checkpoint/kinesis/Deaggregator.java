package dev.checkpoint.kinesis;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.Record;

/**
 * Splits a record of the Kinesis Producer Library's aggregated format into its user records. The format: the magic
 * bytes {@code F3 89 9A C2}, then a protobuf {@code AggregatedRecord}, then the MD5 digest of that message.
 *
 * <pre>
 * message AggregatedRecord { repeated string partition_key_table = 1; repeated string explicit_hash_key_table = 2;
 *                            repeated Record records = 3; }
 * message Record { required uint64 partition_key_index = 1; optional uint64 explicit_hash_key_index = 2;
 *                  required bytes data = 3; repeated Tag tags = 4; }
 * </pre>
 *
 * A record without the magic bytes is an ordinary record. One with them whose digest does not match, or whose
 * message cannot be read, is handed over as it is, with a warning, as the KPL's own reader does: nothing is dropped.
 * User record {@code i} of an aggregate gets the aggregate's sequence number and sub-sequence number {@code i}.
 */
final class Deaggregator {

    private static final Logger log = LoggerFactory.getLogger(Deaggregator.class);
    static final byte[] MAGIC = { (byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2 };
    private static final int DIGEST_LENGTH = 16;

    private Deaggregator() {
    }

    static List<KinesisRecord> deaggregate(String shardId, Record record) {
        byte[] data = record.data().asByteArrayUnsafe();
        if (!isAggregated(data)) {
            return List.of(plain(shardId, record));
        }
        byte[] message = Arrays.copyOfRange(data, MAGIC.length, data.length - DIGEST_LENGTH);
        byte[] digest = Arrays.copyOfRange(data, data.length - DIGEST_LENGTH, data.length);
        if (!Arrays.equals(md5(message), digest)) {
            log.warn("Record {} of shard {} has the aggregated format's magic bytes but not its digest; handed over as is",
                    record.sequenceNumber(), shardId);
            return List.of(plain(shardId, record));
        }
        try {
            return userRecords(shardId, record, message);
        }
        catch (IOException | IndexOutOfBoundsException unreadable) {
            log.warn("Aggregated record {} of shard {} cannot be read ({}); handed over as is", record.sequenceNumber(),
                    shardId, unreadable.toString());
            return List.of(plain(shardId, record));
        }
    }

    private static boolean isAggregated(byte[] data) {
        return data.length > MAGIC.length + DIGEST_LENGTH
                && ByteBuffer.wrap(data, 0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC));
    }

    private static List<KinesisRecord> userRecords(String shardId, Record record, byte[] message) throws IOException {
        List<String> partitionKeys = new ArrayList<>();
        List<byte[]> entries = new ArrayList<>();
        CodedInputStream input = CodedInputStream.newInstance(message);
        for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> partitionKeys.add(input.readStringRequireUtf8());
                case 3 -> entries.add(input.readByteArray());
                default -> input.skipField(tag); // explicit hash keys, unknown fields
            }
        }
        List<KinesisRecord> records = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            UserRecord entry = UserRecord.parse(entries.get(i));
            String partitionKey = entry.partitionKeyIndex < partitionKeys.size()
                    ? partitionKeys.get((int) entry.partitionKeyIndex) : record.partitionKey();
            records.add(new KinesisRecord(shardId, record.sequenceNumber(), (long) i, partitionKey,
                    SdkBytes.fromByteArrayUnsafe(entry.data), record.approximateArrivalTimestamp()));
        }
        return records;
    }

    /** One {@code Record} of the message. */
    private record UserRecord(long partitionKeyIndex, byte[] data) {

        static UserRecord parse(byte[] bytes) throws IOException {
            CodedInputStream input = CodedInputStream.newInstance(bytes);
            long partitionKeyIndex = 0;
            byte @Nullable [] data = null;
            for (int tag = input.readTag(); tag != 0; tag = input.readTag()) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> partitionKeyIndex = input.readUInt64();
                    case 3 -> data = input.readByteArray();
                    default -> input.skipField(tag); // explicit hash key index, tags
                }
            }
            if (data == null) {
                throw new IOException("a user record without data");
            }
            return new UserRecord(partitionKeyIndex, data);
        }
    }

    private static KinesisRecord plain(String shardId, Record record) {
        return new KinesisRecord(shardId, record.sequenceNumber(), null, record.partitionKey(), record.data(),
                record.approximateArrivalTimestamp());
    }

    static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        }
        catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("MD5 is part of every JVM", unavailable);
        }
    }
}
