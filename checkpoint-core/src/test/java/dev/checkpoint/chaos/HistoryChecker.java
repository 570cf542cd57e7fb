package dev.checkpoint.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import dev.checkpoint.chaos.History.Checkpoint;
import dev.checkpoint.chaos.History.Hold;
import dev.checkpoint.chaos.History.Listening;
import dev.checkpoint.chaos.History.Outcome;
import dev.checkpoint.chaos.History.Renewal;
import dev.checkpoint.chaos.History.Reset;
import dev.checkpoint.chaos.History.Take;

/**
 * Proves the lease protocol's guarantees over a recorded history, Jepsen-style. Each check is sound: it reports
 * only what certainly happened, judging a write by its send and answer times.
 * <ol>
 * <li>(a) No overlap: no two workers held a shard at the same moment, as their handles said.</li>
 * <li>(b) No fenced-out write: no checkpoint was accepted that was sent after another worker's take of the shard
 * (and before its writer took the shard again); no renewal was accepted whose answer came later than another
 * worker's take by more than the longest a request may take.</li>
 * <li>(c) Nothing lost: the accepted checkpoints of each shard increase in the order they were answered, and the
 * stored checkpoint is the last accepted one, or a later write whose outcome was unknown to its writer.</li>
 * <li>(d) Liveness: once the faults stopped, every shard was owned again within the bound, and balanced, and every
 * reset was applied.</li>
 * <li>(e) Resets are fenced: no checkpoint was accepted that was sent after a reset of its shard had surely landed,
 * through a handle gained before that (a handle of the owner from before the reset).</li>
 * <li>(f) No two listeners: no two workers' listeners had a shard at the same moment, each from the call of
 * {@code leaseGained} to the return of {@code leaseLost} or {@code leaseEnding} (or the worker's death): what a
 * listener written to the contract relies on. Except where the earlier listener's worker was frozen when the later
 * one gained the shard: the contract does not cover a process paused longer than a lease (its listener cannot return
 * while it stands still; what it then writes is fenced, which (b) and (e) check).</li>
 * </ol>
 * A reset may put a checkpoint back: (c) compares two accepted checkpoints only when no reset can have landed between
 * them, and the stored checkpoint only when no reset can have landed after the last one accepted.
 */
final class HistoryChecker {

    private final Duration longestRequest;

    /** @param longestRequest the most one request may take, retries included */
    HistoryChecker(Duration longestRequest) {
        this.longestRequest = longestRequest;
    }

    List<String> check(History history, Map<String, Long> stored, Duration recovery, Duration recoveryBound, boolean balanced,
            int resetsPending) {
        List<String> violations = new ArrayList<>();
        violations.addAll(overlaps(history));
        violations.addAll(fencedWrites(history));
        violations.addAll(lostCheckpoints(history, stored));
        violations.addAll(writesAcrossResets(history));
        violations.addAll(twoListeners(history));
        if (resetsPending > 0) {
            violations.add("(d) liveness: " + resetsPending + " resets still pending after the faults stopped");
        }
        if (recovery == null || recovery.compareTo(recoveryBound) > 0) {
            violations.add("(d) liveness: shards owned again after " + recovery + ", bound " + recoveryBound);
        }
        if (!balanced) {
            violations.add("(d) liveness: not balanced after the faults stopped");
        }
        return violations;
    }

    List<String> overlaps(History history) {
        return overlapsOfTwoWorkers(history.holds, Hold::shard, Hold::worker, Hold::startNanos, Hold::lastHeldNanos,
                "(a) overlap on ");
    }

    List<String> twoListeners(History history) {
        return overlapsOfTwoWorkers(history.listening, Listening::shard, Listening::worker, Listening::gainedNanos,
                Listening::endedNanos, "(f) two listeners of ", (earlier, later) -> isFrozen(history, earlier.worker(),
                        later.gainedNanos()));
    }

    private static boolean isFrozen(History history, String worker, long nanos) {
        return history.freezes.stream().anyMatch(freeze -> freeze.worker().equals(worker)
                && nanos - freeze.fromNanos() >= 0 && freeze.untilNanos() - nanos > 0);
    }

    /** Each pair of spans of one shard, of two workers, that overlap: a violation named {@code kind} + the shard. */
    private static <T> List<String> overlapsOfTwoWorkers(Collection<T> spans, Function<T, String> shardOf,
            Function<T, String> workerOf, ToLongFunction<T> startOf, ToLongFunction<T> endOf, String kind) {
        return overlapsOfTwoWorkers(spans, shardOf, workerOf, startOf, endOf, kind, (earlier, later) -> false);
    }

    /** As above, but for the pairs {@code excused} (of the span that started first, and the other). */
    private static <T> List<String> overlapsOfTwoWorkers(Collection<T> spans, Function<T, String> shardOf,
            Function<T, String> workerOf, ToLongFunction<T> startOf, ToLongFunction<T> endOf, String kind,
            BiPredicate<T, T> excused) {
        List<String> violations = new ArrayList<>();
        Map<String, List<T>> byShard = spans.stream().collect(Collectors.groupingBy(shardOf));
        byShard.forEach((shard, ofShard) -> {
            for (int i = 0; i < ofShard.size(); i++) {
                for (int j = i + 1; j < ofShard.size(); j++) {
                    T a = ofShard.get(i);
                    T b = ofShard.get(j);
                    long overlap = Math.min(endOf.applyAsLong(a), endOf.applyAsLong(b))
                            - Math.max(startOf.applyAsLong(a), startOf.applyAsLong(b));
                    boolean aFirst = startOf.applyAsLong(a) - startOf.applyAsLong(b) <= 0;
                    if (!workerOf.apply(a).equals(workerOf.apply(b)) && overlap > 0
                            && !(aFirst ? excused.test(a, b) : excused.test(b, a))) {
                        violations.add(kind + shard + ": " + a + " and " + b + " for " + overlap / 1_000_000 + " ms");
                    }
                }
            }
        });
        return violations;
    }

    List<String> fencedWrites(History history) {
        List<String> violations = new ArrayList<>();
        Map<String, List<Take>> takes = history.takes.stream().collect(Collectors.groupingBy(Take::shard));
        for (Checkpoint write : history.accepted()) {
            Take latest = latestBefore(takes.getOrDefault(write.shard(), List.of()), write.sentNanos());
            if (latest != null && !latest.worker().equals(write.worker())) {
                violations.add("(b) fenced-out checkpoint accepted: " + write + " after " + latest);
            }
        }
        long slack = longestRequest.toNanos();
        for (Renewal renewal : history.renewals) {
            Take latest = latestBefore(takes.getOrDefault(renewal.shard(), List.of()), renewal.nanos() - slack);
            if (latest != null && !latest.worker().equals(renewal.worker())
                    && takes.get(renewal.shard()).stream().noneMatch(take -> take.worker().equals(renewal.worker())
                            && take.nanos() > latest.nanos() && take.nanos() <= renewal.nanos())) {
                violations.add("(b) fenced-out renewal accepted: " + renewal + " after " + latest);
            }
        }
        return violations;
    }

    List<String> writesAcrossResets(History history) {
        List<String> violations = new ArrayList<>();
        Map<String, List<Reset>> resets = history.resets.stream().collect(Collectors.groupingBy(Reset::shard));
        for (Checkpoint write : history.accepted()) {
            for (Reset reset : resets.getOrDefault(write.shard(), List.of())) {
                if (write.handleNanos() < reset.answeredNanos() && reset.answeredNanos() < write.sentNanos()) {
                    violations.add("(e) a checkpoint from before a reset was accepted after it: " + write + " after " + reset);
                }
            }
        }
        return violations;
    }

    List<String> lostCheckpoints(History history, Map<String, Long> stored) {
        List<String> violations = new ArrayList<>();
        Map<String, List<Checkpoint>> byShard = history.checkpoints.stream()
                .collect(Collectors.groupingBy(Checkpoint::shard));
        Map<String, List<Reset>> resets = history.resets.stream().collect(Collectors.groupingBy(Reset::shard));
        byShard.forEach((shard, writes) -> {
            List<Reset> shardResets = resets.getOrDefault(shard, List.of());
            List<Checkpoint> accepted = writes.stream().filter(write -> write.outcome() == Outcome.ACCEPTED)
                    .sorted(Comparator.comparingLong(Checkpoint::answeredNanos)).toList();
            for (int i = 1; i < accepted.size(); i++) {
                long from = accepted.get(i - 1).sentNanos();
                long to = accepted.get(i).answeredNanos();
                boolean resetBetween = shardResets.stream().anyMatch(reset -> reset.sentNanos() < to && reset.answeredNanos() > from);
                if (!resetBetween && accepted.get(i).value() <= accepted.get(i - 1).value()) {
                    violations.add("(c) accepted checkpoint replaced by an older one on " + shard + ": "
                            + accepted.get(i - 1) + " then " + accepted.get(i));
                }
            }
            if (accepted.isEmpty()) {
                return;
            }
            Checkpoint last = accepted.get(accepted.size() - 1);
            if (shardResets.stream().anyMatch(reset -> reset.answeredNanos() > last.sentNanos())) {
                return;   // a reset may have landed after it: the stored checkpoint is the reset's progress
            }
            Long value = stored.get(shard);
            boolean laterUnknown = writes.stream().anyMatch(write -> write.outcome() == Outcome.UNKNOWN
                    && value != null && write.value() == value && write.sentNanos() >= last.sentNanos());
            if (value == null || (value != last.value() && !laterUnknown)) {
                violations.add("(c) stored checkpoint of " + shard + " is " + value + ", not the last accepted " + last);
            }
        });
        return violations;
    }

    private static Take latestBefore(List<Take> takes, long nanos) {
        Take latest = null;
        for (Take take : takes) {
            if (take.nanos() < nanos && (latest == null || take.nanos() > latest.nanos())) {
                latest = take;
            }
        }
        return latest;
    }
}
