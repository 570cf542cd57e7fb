package dev.checkpoint.kinesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.coordinator.ShardSource;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;

/**
 * The stream's shards from {@code ListShards}, every page, each with its parents (the parent of a split, both parents
 * of a merge), so that the coordinator starts a child only once its parents are finished. The stream is named by its
 * ARN when one is given.
 */
public final class KinesisShardSource implements ShardSource {

    private final KinesisClient kinesis;
    private final StreamId stream;
    private volatile Set<String> lastListed = Set.of();

    KinesisShardSource(KinesisClient kinesis, StreamId stream) {
        this.kinesis = kinesis;
        this.stream = stream;
    }

    @Override
    public List<Shard> listShards() {
        List<Shard> shards = new ArrayList<>();
        @Nullable String nextToken = null;
        do {
            // A page after the first is named by its token alone: ListShards refuses the stream beside it.
            ListShardsRequest request = nextToken == null
                    ? stream.listShards(ListShardsRequest.builder()).build()
                    : ListShardsRequest.builder().nextToken(nextToken).build();
            ListShardsResponse page = kinesis.listShards(request);
            page.shards().forEach(shard -> shards.add(Shard.withParents(shard.shardId(), shard.parentShardId(),
                    shard.adjacentParentShardId())));
            nextToken = page.nextToken();
        }
        while (nextToken != null);
        lastListed = shards.stream().map(Shard::id).collect(Collectors.toUnmodifiableSet());
        return shards;
    }

    /**
     * The stream's ARN and creation time, from {@code DescribeStreamSummary}: the same for as long as the stream lives,
     * different for a stream deleted and created again under its name. In a lease table shared by consumer groups, the
     * group is bound to it.
     */
    @Override
    public String identity() {
        StreamDescriptionSummary summary = kinesis.describeStreamSummary(stream.describe(
                DescribeStreamSummaryRequest.builder()).build()).streamDescriptionSummary();
        return summary.streamARN() + " created " + summary.streamCreationTimestamp();
    }

    /** Whether the last listing had this shard: a parent still listed was read to its end before its child. */
    boolean listed(String shardId) {
        return lastListed.contains(shardId);
    }

    /** The stream, by ARN or name. */
    public String stream() {
        return stream.toString();
    }
}
