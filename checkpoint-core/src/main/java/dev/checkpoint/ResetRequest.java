package dev.checkpoint;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What an operator resets: every shard of the group, or the named ones, to one position; or each named shard to a
 * position of its own (a sequence number belongs to one shard). Immutable; {@link Resets#request} writes it.
 */
public final class ResetRequest {

    private final @Nullable StartingPosition toForAll;
    private final Map<String, StartingPosition> byShard;
    private final String requestedBy;

    private ResetRequest(@Nullable StartingPosition toForAll, Map<String, StartingPosition> byShard, String requestedBy) {
        this.toForAll = toForAll;
        this.byShard = byShard;
        this.requestedBy = requestedBy;
    }

    /**
     * Every shard with a row in the table, finished ones included, to {@code to}: trim horizon, latest or a timestamp.
     *
     * @throws IllegalArgumentException for a sequence number, which belongs to one shard
     */
    public static ResetRequest allShards(StartingPosition to) {
        Objects.requireNonNull(to, "to");
        if (to.kind() == StartingPosition.Kind.AT_SEQUENCE_NUMBER) {
            throw new IllegalArgumentException("a sequence number belongs to one shard: reset the shards one by one");
        }
        return new ResetRequest(to, Map.of(), "java-api");
    }

    /** The named shards, each to {@code to}. */
    public static ResetRequest shards(StartingPosition to, Collection<String> shardIds) {
        Objects.requireNonNull(to, "to");
        Map<String, StartingPosition> byShard = new LinkedHashMap<>();
        shardIds.forEach(shardId -> byShard.put(ShardStatus.requireShardId(shardId, "shardId"), to));
        return positions(byShard);
    }

    /** Each named shard to its own position. */
    public static ResetRequest positions(Map<String, StartingPosition> byShard) {
        if (byShard.isEmpty()) {
            throw new IllegalArgumentException("no shard named to reset");
        }
        Map<String, StartingPosition> copy = new LinkedHashMap<>();
        byShard.forEach((shardId, to) -> copy.put(ShardStatus.requireShardId(shardId, "shardId"),
                Objects.requireNonNull(to, "position of " + shardId)));
        return new ResetRequest(null, Map.copyOf(copy), "java-api");
    }

    /** The same request, from {@code who}: a person or a tool, for the audit trail. */
    public ResetRequest requestedBy(String who) {
        if (who == null || who.isBlank()) {
            throw new IllegalArgumentException("requestedBy must name someone");
        }
        return new ResetRequest(toForAll, byShard, who);
    }

    /** Whether every shard of the group is reset. */
    public boolean isAllShards() {
        return toForAll != null;
    }

    /** The position for every shard, when {@link #isAllShards()}. */
    public @Nullable StartingPosition toForAll() {
        return toForAll;
    }

    /** The named shards and their positions; empty when {@link #isAllShards()}. */
    public Map<String, StartingPosition> byShard() {
        return byShard;
    }

    public String requestedBy() {
        return requestedBy;
    }

    @Override
    public String toString() {
        return "reset of " + (toForAll != null ? "every shard to " + toForAll : byShard) + " by " + requestedBy;
    }
}
