package dev.checkpoint.kinesis.migration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;

/** A stream's shards as Kinesis lists them now, by id: what the rows of a migration are checked against. */
public final class StreamShards {

    private final String streamName;
    private final Map<String, Shard> byId;

    private StreamShards(String streamName, Map<String, Shard> byId) {
        this.streamName = streamName;
        this.byId = Map.copyOf(byId);
    }

    /** Every shard of the stream, open and closed, from {@code ListShards}, every page. */
    public static StreamShards list(KinesisClient kinesis, String streamName) {
        Objects.requireNonNull(kinesis, "kinesis");
        Objects.requireNonNull(streamName, "streamName");
        Map<String, Shard> shards = new LinkedHashMap<>();
        @Nullable String nextToken = null;
        do {
            ListShardsRequest request = nextToken == null ? ListShardsRequest.builder().streamName(streamName).build()
                    : ListShardsRequest.builder().nextToken(nextToken).build();
            ListShardsResponse page;
            try {
                page = kinesis.listShards(request);
            }
            catch (ResourceNotFoundException missing) {
                throw new MigrationRefusedException("stream " + streamName + " does not exist");
            }
            page.shards().forEach(shard -> shards.put(shard.shardId(), shard));
            nextToken = page.nextToken();
        }
        while (nextToken != null);
        return new StreamShards(streamName, shards);
    }

    public String streamName() {
        return streamName;
    }

    boolean contains(String shardId) {
        return byId.containsKey(shardId);
    }

    /** The shards whose parent (or adjacent parent) is {@code shardId}. */
    java.util.List<String> childrenOf(String shardId) {
        return byId.values().stream().filter(shard -> shardId.equals(shard.parentShardId())
                || shardId.equals(shard.adjacentParentShardId())).map(Shard::shardId).sorted().toList();
    }

    @Nullable Shard get(String shardId) {
        return byId.get(shardId);
    }
}
