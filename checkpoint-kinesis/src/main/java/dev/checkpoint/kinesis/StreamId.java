package dev.checkpoint.kinesis;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;

/** The stream, by name or by ARN (the ARN wins: it also names the account and region). */
record StreamId(@Nullable String name, @Nullable String arn) {

    ListShardsRequest.Builder listShards(ListShardsRequest.Builder request) {
        return arn != null ? request.streamARN(arn) : request.streamName(name);
    }

    DescribeStreamSummaryRequest.Builder describe(DescribeStreamSummaryRequest.Builder request) {
        return arn != null ? request.streamARN(arn) : request.streamName(name);
    }

    GetShardIteratorRequest.Builder shardIterator(GetShardIteratorRequest.Builder request) {
        return arn != null ? request.streamARN(arn) : request.streamName(name);
    }

    @Override
    public String toString() {
        return arn != null ? arn : String.valueOf(name);
    }
}
