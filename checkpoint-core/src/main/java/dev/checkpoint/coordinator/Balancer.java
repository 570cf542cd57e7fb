package dev.checkpoint.coordinator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.checkpoint.Lease;

/**
 * Decides, from one scan of the table, which leases this worker should take and which it should claim.
 *
 * <ul>
 * <li>Only <em>eligible</em> shards count: unfinished, with every parent finished or gone from the source.</li>
 * <li>The workers are the owners of unexpired leases, the workers with claims pending, and this worker, even when
 * it holds nothing.</li>
 * <li>With N shards and W workers, this worker takes free or expired leases up to ⌈N/W⌉, several at once.</li>
 * <li>Below ⌈N/W⌉, it claims shards from the busiest workers, one at a time, while the victim holds at least two
 * more than this worker would (claims already pending on the victim deducted), and at most one batch per victim
 * at a time. A move only narrows a gap of two or more, so it never calls for a move back: nothing ping-pongs, and
 * a table where no two workers differ by more than one is left alone.</li>
 * </ul>
 */
final class Balancer {

    /**
     * What to do.
     *
     * @param takeCandidates free or expired eligible shards, shuffled; take from the front
     * @param takeQuota how many of them to take
     * @param claims shards to claim, by victim
     * @param target ⌈N/W⌉, the fair share
     * @param workers the number of workers counted
     */
    record Plan(List<String> takeCandidates, int takeQuota, Map<String, List<String>> claims, int target, int workers) {
    }

    private final String workerId;
    private final int maxLeasesForWorker;
    private final int maxLeasesToStealAtOneTime;
    private final boolean leaseStealing;
    private final Random random;

    Balancer(String workerId, int maxLeasesForWorker, int maxLeasesToStealAtOneTime, boolean leaseStealing, Random random) {
        this.workerId = workerId;
        this.maxLeasesForWorker = maxLeasesForWorker;
        this.maxLeasesToStealAtOneTime = maxLeasesToStealAtOneTime;
        this.leaseStealing = leaseStealing;
        this.random = random;
    }

    /**
     * @param shards the shards the source lists
     * @param rows the table's rows, by shard id
     * @param expired whether this worker judges a lease expired
     * @param heldShards the shards this worker holds
     * @param claimedShards the shards this worker has claims pending on: counted as held, unless free or expired
     *        now (their owner died), when they are taken as any other
     * @param victimsWithPendingClaims workers this worker already has claims pending on
     */
    Plan plan(Collection<Shard> shards, Map<String, Lease> rows, Predicate<String> expired, Set<String> heldShards,
            Set<String> claimedShards, Set<String> victimsWithPendingClaims) {
        Set<String> listed = shards.stream().map(Shard::id).collect(Collectors.toSet());
        List<Shard> eligible = shards.stream().filter(shard -> isEligible(shard, rows, listed)).toList();
        Map<String, Integer> load = new HashMap<>();
        Map<String, List<String>> claimable = new HashMap<>();
        Map<String, Integer> claimed = new HashMap<>();
        List<String> takeCandidates = new ArrayList<>();
        Set<String> claimants = new HashSet<>();
        for (Shard shard : eligible) {
            if (heldShards.contains(shard.id())) {
                continue;
            }
            Lease row = rows.get(shard.id());
            // Free, expired, or still ours in the table though given up here (after an outage): take it.
            if (row == null || !row.isOwned() || expired.test(shard.id()) || row.isOwnedBy(workerId)) {
                takeCandidates.add(shard.id());
                continue;
            }
            load.merge(row.owner(), 1, Integer::sum);
            if (row.hasClaim()) {
                claimed.merge(row.owner(), 1, Integer::sum);
                claimants.add(row.claimRequest());
            }
            else {
                claimable.computeIfAbsent(row.owner(), owner -> new ArrayList<>()).add(shard.id());
            }
        }
        // Workers: owners of live leases, claimants (alive, though they may hold nothing yet), and this one.
        Set<String> alive = new HashSet<>(load.keySet());
        alive.addAll(claimants);
        alive.add(workerId);
        int workers = alive.size();
        int ceiling = (eligible.size() + workers - 1) / workers;
        int cap = Math.min(ceiling, maxLeasesForWorker);
        Collections.shuffle(takeCandidates, random);
        // A claim on a shard now free or expired is no longer pending on anybody: it is a take candidate, not held.
        int held = heldShards.size()
                + (int) claimedShards.stream().filter(shard -> !takeCandidates.contains(shard)).count();
        int takeQuota = Math.max(0, cap - held);

        Map<String, List<String>> claims = new HashMap<>();
        int mine = held + takeCandidates.size();
        int budget = Math.min(maxLeasesToStealAtOneTime, cap - mine);
        if (leaseStealing && budget > 0) {
            Map<String, Integer> effective = new HashMap<>();
            load.forEach((owner, count) -> effective.put(owner, count - claimed.getOrDefault(owner, 0)));
            List<String> victims = new ArrayList<>(effective.keySet());
            victims.sort(Comparator.comparing((String owner) -> effective.get(owner)).reversed().thenComparing(Comparator.naturalOrder()));
            for (String victim : victims) {
                if (victimsWithPendingClaims.contains(victim)) {
                    continue;
                }
                List<String> choices = new ArrayList<>(claimable.getOrDefault(victim, List.of()));
                Collections.shuffle(choices, random);
                List<String> chosen = new ArrayList<>();
                // A move only ever narrows a gap of two or more, so it can never call for a move back.
                while (budget > 0 && chosen.size() < choices.size() && effective.get(victim) - chosen.size() - mine >= 2) {
                    chosen.add(choices.get(chosen.size()));
                    mine++;
                    budget--;
                }
                if (!chosen.isEmpty()) {
                    claims.put(victim, List.copyOf(chosen));
                }
            }
        }
        return new Plan(List.copyOf(takeCandidates), takeQuota, claims, ceiling, workers);
    }

    /** Unfinished, and every parent finished or gone from the source (past the stream's retention). */
    static boolean isEligible(Shard shard, Map<String, Lease> rows, Set<String> listed) {
        Lease row = rows.get(shard.id());
        if (row != null && row.isFinished()) {
            return false;
        }
        return shard.parentIds().stream().allMatch(parent -> !listed.contains(parent)
                || (rows.get(parent) != null && rows.get(parent).isFinished()));
    }
}
