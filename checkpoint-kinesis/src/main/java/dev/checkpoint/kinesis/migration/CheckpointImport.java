package dev.checkpoint.kinesis.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.checkpoint.ImportedCheckpoint;
import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.kinesis.migration.MigrationReport.Action;
import dev.checkpoint.kinesis.migration.MigrationReport.ShardOutcome;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a consumer's progress from another library's table into this library's, so that the switch reprocesses
 * nothing: each shard's checkpoint, written as the group's, with no owner; the first worker to take a lease starts
 * after it, parents before children as ever.
 *
 * <p>Safe by construction. It reads the source twice, {@link MigrationOptions#observeFor} apart, and refuses when anything that
 * moves while the other application runs moved (a KCL lease counter, a binder lock), judged by its own observation as
 * this library judges expiry: stop the other application first. Rows that are not of the stream are refused, naming
 * them. A shard on which this group has progress of its own is left alone, unless {@link MigrationOptions#replaceProgress} says
 * otherwise, and then only when this group's rows did not move either (nobody runs it). Each write is conditional: a
 * worker of this group that starts meanwhile makes it fail, and the shard is reported as changed, not overwritten. A
 * dry run reads and reports the same and writes nothing. Each write has an audit line on {@code dev.checkpoint.audit}.
 */
public final class CheckpointImport {

    private static final Logger audit = LoggerFactory.getLogger("dev.checkpoint.audit");

    private final LeaseStore store;
    private final CheckpointSource source;
    private final @Nullable StreamShards stream;
    private final MigrationOptions options;

    private CheckpointImport(Builder builder) {
        this.store = Objects.requireNonNull(builder.store, "store");
        this.source = Objects.requireNonNull(builder.source, "source");
        this.stream = builder.stream;
        this.options = builder.options;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads, checks, waits, reads again, and writes (unless a dry run).
     *
     * @throws MigrationRefusedException when the source still runs, this group runs (with {@code replaceProgress}), a
     *         row cannot be read, or rows are not of the stream; nothing is written then
     * @throws InterruptedException when interrupted while observing; nothing is written then
     */
    public MigrationReport run() throws InterruptedException {
        List<SourceCheckpoint> first = source.read();
        checkStream(first);
        Map<String, Lease> oursFirst = ourRows();
        options.pause().pause(options.observeFor());
        List<SourceCheckpoint> now = source.read();
        refuseIfMoved(first, now);
        Map<String, Lease> ours = ourRows();
        if (options.replaceProgress()) {
            refuseIfThisGroupRuns(oursFirst, ours);
        }
        List<ShardOutcome> outcomes = new ArrayList<>();
        for (SourceCheckpoint row : sortedByShard(now)) {
            outcomes.add(carry(row.checkpoint(), ours.get(row.checkpoint().shardId())));
        }
        return new MigrationReport(source.describe(), "lease table " + store.tableName(), options.dryRun(), outcomes);
    }

    private ShardOutcome carry(ImportedCheckpoint checkpoint, @Nullable Lease ours) {
        String shardId = checkpoint.shardId();
        String target = describe(ours);
        String read = checkpoint.describe();
        if (checkpoint.checkpoint() == null && checkpoint.startingPosition() == null) {
            return new ShardOutcome(shardId, read, Action.NOTHING_TO_CARRY, target);
        }
        boolean progress = hasProgress(ours);
        if (progress && !options.replaceProgress()) {
            return new ShardOutcome(shardId, read, Action.KEPT_TARGET_PROGRESS, target);
        }
        if (options.dryRun()) {
            return new ShardOutcome(shardId, read, Action.WOULD_WRITE, target);
        }
        if (!store.importCheckpoint(checkpoint, progress ? ours : null)) {
            return new ShardOutcome(shardId, read, Action.TARGET_CHANGED, target);
        }
        audit.info("Checkpoint imported: table={} shard={} from={} checkpoint={} replacing={} by={}", store.tableName(),
                shardId, source.describe(), read, target, options.requestedBy());
        return new ShardOutcome(shardId, read, Action.WRITTEN, target);
    }

    private void checkStream(List<SourceCheckpoint> rows) {
        if (stream == null) {
            return;
        }
        TreeSet<String> foreign = rows.stream().filter(row -> !stream.contains(row.checkpoint().shardId()))
                .map(SourceCheckpoint::row).collect(Collectors.toCollection(TreeSet::new));
        if (!foreign.isEmpty()) {
            throw new MigrationRefusedException(source.describe() + " has rows of shards that stream "
                    + stream.streamName() + " does not have: " + String.join(", ", foreign) + "; nothing was written");
        }
    }

    private static void refuseIfMoved(List<SourceCheckpoint> before, List<SourceCheckpoint> after) {
        Map<String, SourceCheckpoint> earlier = before.stream().collect(Collectors.toMap(SourceCheckpoint::row,
                Function.identity(), (a, b) -> a));
        TreeSet<String> moved = new TreeSet<>();
        for (SourceCheckpoint row : after) {
            SourceCheckpoint was = earlier.get(row.row());
            if (was == null || !Objects.equals(was.liveness(), row.liveness())
                    || !Objects.equals(was.checkpoint(), row.checkpoint())) {
                moved.add(row.row());
            }
        }
        if (!moved.isEmpty()) {
            throw new MigrationRefusedException("the source application still runs: rows " + String.join(", ", moved)
                    + " changed while they were watched (leases renewed, locks extended, checkpoints written or rows "
                    + "added); stop it, then import again. Nothing was written");
        }
    }

    private void refuseIfThisGroupRuns(Map<String, Lease> before, Map<String, Lease> after) {
        TreeSet<String> moved = new TreeSet<>();
        after.forEach((shardId, lease) -> {
            Lease was = before.get(shardId);
            if (lease.isOwned() && (was == null || was.leaseCounter() != lease.leaseCounter()
                    || !Objects.equals(was.owner(), lease.owner()))) {
                moved.add(shardId);
            }
        });
        if (!moved.isEmpty()) {
            throw new MigrationRefusedException("this group runs: its leases on " + String.join(", ", moved)
                    + " were renewed or taken while they were watched; stop it before replacing its progress. Nothing "
                    + "was written");
        }
    }

    private Map<String, Lease> ourRows() {
        return store.scan().stream().collect(Collectors.toMap(Lease::shardId, Function.identity(), (a, b) -> a));
    }

    private static List<SourceCheckpoint> sortedByShard(List<SourceCheckpoint> rows) {
        Map<String, SourceCheckpoint> byShard = new TreeMap<>();
        rows.forEach(row -> byShard.putIfAbsent(row.checkpoint().shardId(), row));
        return List.copyOf(byShard.values());
    }

    static boolean hasProgress(@Nullable Lease lease) {
        return lease != null && (lease.leaseCounter() > 0 || lease.checkpoint() != null || lease.startingPosition() != null);
    }

    static String describe(@Nullable Lease lease) {
        if (lease == null) {
            return "none";
        }
        String position = lease.checkpoint() != null ? lease.checkpoint()
                : lease.startingPosition() != null ? lease.startingPosition().toString() : "no checkpoint";
        return position + (lease.owner() == null ? "" : ", held by " + lease.owner());
    }

    /** What to import, from where, and how carefully. */
    public static final class Builder {

        private @Nullable LeaseStore store;
        private @Nullable CheckpointSource source;
        private @Nullable StreamShards stream;
        private MigrationOptions options = MigrationOptions.defaults();

        private Builder() {
        }

        /** The group's lease store: where the checkpoints go (its table, and its consumer group in a shared table). */
        public Builder store(LeaseStore store) {
            this.store = store;
            return this;
        }

        /** Where the checkpoints come from: {@link KclLeaseTable}, {@link SpringCloudAwsCheckpoints}. */
        public Builder source(CheckpointSource source) {
            this.source = source;
            return this;
        }

        /** The stream the rows must belong to: a row of a shard it does not have refuses the import. Recommended. */
        public Builder stream(StreamShards stream) {
            this.stream = stream;
            return this;
        }

        /** How carefully: watched how long, replacing progress or not, a dry run, who asks (default: {@link MigrationOptions#defaults()}). */
        public Builder options(MigrationOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public CheckpointImport build() {
            return new CheckpointImport(this);
        }
    }
}
