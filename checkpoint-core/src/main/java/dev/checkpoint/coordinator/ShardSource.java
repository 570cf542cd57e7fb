package dev.checkpoint.coordinator;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** Lists the shards of the stream, parents included, such as Kinesis ListShards with pagination. */
@FunctionalInterface
public interface ShardSource {

    /**
     * Every shard that still holds records, open or closed. A shard left out is taken to be gone: its lease row
     * is removed, and its children no longer wait for it.
     */
    List<Shard> listShards();

    /**
     * What identifies the stream for good, such as a Kinesis stream's ARN and creation time: in a lease table shared by
     * consumer groups, a group is bound to it, and a worker reading another stream under the group's name is refused.
     * {@code null}, the default, when the source has none: nothing is checked.
     */
    default @Nullable String identity() {
        return null;
    }
}
