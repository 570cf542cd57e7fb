package dev.checkpoint.kinesis.migration;

import java.util.List;

/**
 * What an import or export read and did, shard by shard.
 *
 * @param from the side read, in words
 * @param to the side written, in words
 * @param dryRun whether nothing was written (each outcome then says what would have been)
 * @param shards one outcome per shard, by shard id
 */
public record MigrationReport(String from, String to, boolean dryRun, List<ShardOutcome> shards) {

    public MigrationReport {
        shards = List.copyOf(shards);
    }

    /** What became of one shard's progress. */
    public enum Action {
        /** Written. */
        WRITTEN,
        /** Would be written: a dry run. */
        WOULD_WRITE,
        /** Left as it was: the target has progress of its own, and replacing it was not asked for. */
        KEPT_TARGET_PROGRESS,
        /** Not written: the target's row changed while the migration ran (a worker started). */
        TARGET_CHANGED,
        /** Nothing to carry: the shard was not started. */
        NOTHING_TO_CARRY
    }

    /**
     * @param shardId the shard
     * @param read the progress read, in words ("after 4960…", "SHARD_END", "TRIM_HORIZON")
     * @param action what was done
     * @param target the target's progress before, in words, or "none"
     */
    public record ShardOutcome(String shardId, String read, Action action, String target) {
    }

    /** How many shards ended with {@code action}. */
    public long count(Action action) {
        return shards.stream().filter(shard -> shard.action() == action).count();
    }

    /** One line a shard, with a heading: what a command prints. */
    public String toText() {
        StringBuilder text = new StringBuilder((dryRun ? "Dry run (nothing written): " : "") + "from " + from + " to "
                + to + "\n");
        for (ShardOutcome shard : shards) {
            text.append(String.format("%-28s %-40s %-22s (target before: %s)%n", shard.shardId(), shard.read(),
                    shard.action(), shard.target()));
        }
        return text.toString();
    }
}
