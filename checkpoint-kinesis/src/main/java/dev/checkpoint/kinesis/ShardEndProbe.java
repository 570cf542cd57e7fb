package dev.checkpoint.kinesis;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Asks {@code GetRecords} whether a closed shard has anything after a sequence number: for enhanced fan-out, whose
 * subscriptions say a shard ended with their last event, but not every Kinesis does (a local one keeps sending empty
 * events). One call, made only once the listing shows the shard closed and its subscription is at the tip.
 */
final class ShardEndProbe {

    private final KinesisClient kinesis;
    private final StreamId stream;

    ShardEndProbe(KinesisClient kinesis, StreamId stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    /** Whether the shard has no record after {@code sequenceNumber}, and is closed. */
    boolean endsAfter(String shardId, String sequenceNumber) {
        String iterator = kinesis.getShardIterator(stream.shardIterator(GetShardIteratorRequest.builder()).shardId(shardId)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).startingSequenceNumber(sequenceNumber)
                .build()).shardIterator();
        GetRecordsResponse response = kinesis.getRecords(request -> request.shardIterator(iterator).limit(1));
        return response.records().isEmpty() && response.nextShardIterator() == null;
    }
}
