package dev.checkpoint.sample;

import java.util.ArrayList;
import java.util.List;

import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.coordinator.ShardSource;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;

/** The stream's shards, with their parents, from Kinesis ListShards, every page. */
public class KinesisShardSource implements ShardSource {

    private final KinesisClient kinesis;
    private final String streamName;

    public KinesisShardSource(KinesisClient kinesis, String streamName) {
        this.kinesis = kinesis;
        this.streamName = streamName;
    }

    @Override
    public List<Shard> listShards() {
        List<Shard> shards = new ArrayList<>();
        String nextToken = null;
        do {
            ListShardsRequest request = nextToken == null
                    ? ListShardsRequest.builder().streamName(streamName).build()
                    : ListShardsRequest.builder().nextToken(nextToken).build();
            ListShardsResponse page = kinesis.listShards(request);
            page.shards().forEach(shard -> shards.add(Shard.withParents(shard.shardId(), shard.parentShardId(),
                    shard.adjacentParentShardId())));
            nextToken = page.nextToken();
        }
        while (nextToken != null);
        return shards;
    }
}
