package dev.checkpoint.kinesis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.google.protobuf.CodedOutputStream;

/** Builds records in the Kinesis Producer Library's aggregated format, as the KPL writes them. */
final class Aggregates {

    private Aggregates() {
    }

    /** One aggregated record of {@code data}, each user record with its own partition key. */
    static byte[] aggregate(List<String> partitionKeys, List<String> data) {
        try {
            ByteArrayOutputStream messageBytes = new ByteArrayOutputStream();
            CodedOutputStream message = CodedOutputStream.newInstance(messageBytes);
            for (String key : partitionKeys) {
                message.writeString(1, key);
            }
            for (int i = 0; i < data.size(); i++) {
                ByteArrayOutputStream recordBytes = new ByteArrayOutputStream();
                CodedOutputStream record = CodedOutputStream.newInstance(recordBytes);
                record.writeUInt64(1, i % partitionKeys.size());
                record.writeByteArray(3, data.get(i).getBytes(StandardCharsets.UTF_8));
                record.flush();
                message.writeByteArray(3, recordBytes.toByteArray());
            }
            message.flush();
            byte[] body = messageBytes.toByteArray();
            ByteArrayOutputStream aggregate = new ByteArrayOutputStream();
            aggregate.write(Deaggregator.MAGIC);
            aggregate.write(body);
            aggregate.write(Deaggregator.md5(body));
            return aggregate.toByteArray();
        }
        catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
