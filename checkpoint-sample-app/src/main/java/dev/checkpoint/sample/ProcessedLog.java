package dev.checkpoint.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import dev.checkpoint.kinesis.KinesisRecord;

/** Appends every processed record to a file, so that a test can compare what was processed with what was produced. */
public class ProcessedLog implements AutoCloseable {

    private final BufferedWriter writer;

    public ProcessedLog(Path file) {
        try {
            this.writer = file == null ? null : Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        catch (IOException failure) {
            throw new UncheckedIOException("cannot open the processed log " + file, failure);
        }
    }

    /** One line a record: shard id, sequence number, data. Written through before returning. */
    public synchronized void append(List<KinesisRecord> records) {
        if (writer == null) {
            return;
        }
        try {
            for (KinesisRecord record : records) {
                writer.write(record.shardId() + " " + record.sequenceNumber() + " " + record.data().asUtf8String() + "\n");
            }
            writer.flush();
        }
        catch (IOException failure) {
            throw new UncheckedIOException("cannot write the processed log", failure);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
