package dev.checkpoint.coordinator;

import java.util.List;

/** Lists the shards of the stream, parents included, such as Kinesis ListShards with pagination. */
@FunctionalInterface
public interface ShardSource {

    /**
     * Every shard that still holds records, open or closed. A shard left out is taken to be gone: its lease row
     * is removed, and its children no longer wait for it.
     */
    List<Shard> listShards();
}
