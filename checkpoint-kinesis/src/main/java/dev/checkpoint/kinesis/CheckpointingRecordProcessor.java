package dev.checkpoint.kinesis;

import java.util.List;

/**
 * A processor that checkpoints itself, for {@link CheckpointMode#MANUAL}: it is handed the shard's
 * {@link RecordCheckpointer} with each batch. In the other modes it may checkpoint too, in addition.
 */
@FunctionalInterface
public interface CheckpointingRecordProcessor {

    void process(List<KinesisRecord> records, RecordCheckpointer checkpointer) throws Exception;
}
