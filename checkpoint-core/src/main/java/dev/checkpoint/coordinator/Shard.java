package dev.checkpoint.coordinator;

import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A shard of the stream as the source lists it.
 *
 * @param id the shard id
 * @param parentIds the shards it was split or merged from: none, one, or two after a merge
 */
public record Shard(String id, Set<String> parentIds) {

    public Shard {
        dev.checkpoint.ShardStatus.requireShardId(id, "shard id");
        parentIds = Set.copyOf(parentIds);
    }

    /** A shard without parents. */
    public static Shard of(String id) {
        return new Shard(id, Set.of());
    }

    /** A shard with parents; {@code null} parents are left out. */
    public static Shard withParents(String id, @Nullable String... parentIds) {
        return new Shard(id, java.util.Arrays.stream(parentIds).filter(Objects::nonNull)
                .collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }

    /** One parent, for the {@code ParentShardId} attribute; {@code null} when there is none. */
    public @Nullable String parentShardId() {
        return parentIds.stream().sorted().findFirst().orElse(null);
    }
}
