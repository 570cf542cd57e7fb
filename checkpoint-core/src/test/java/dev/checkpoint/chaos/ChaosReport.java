package dev.checkpoint.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import dev.checkpoint.chaos.History.Outcome;

/** What a chaos run did and found, as figures and as a Markdown table for docs/RELIABILITY.md. */
record ChaosReport(ChaosRun.Settings settings, Map<Fault, Integer> injected, History history,
        List<ChaosWorker> workers, Duration recovery, Duration recoveryBound, boolean balanced,
        List<String> violations) {

    int injected(Fault fault) {
        return injected.getOrDefault(fault, 0);
    }

    long checkpoints(Outcome outcome) {
        return history.checkpoints.stream().filter(checkpoint -> checkpoint.outcome() == outcome).count();
    }

    int sum(ToIntFunction<ChaosWorker> figure) {
        return workers.stream().mapToInt(figure).sum();
    }

    String toMarkdown() {
        StringBuilder table = new StringBuilder("| | |\n|---|---|\n");
        row(table, "workers (at once) / incarnations", settings.workers() + " / " + workers.size());
        row(table, "shards", settings.shards());
        row(table, "duration of faults", settings.duration());
        row(table, "seed", settings.seed());
        row(table, "renewal mode", settings.mode().text());
        for (Fault fault : Fault.values()) {
            row(table, fault.description(), injected(fault));
        }
        row(table, "leases taken (all)", history.takes.size());
        row(table, "of which from an owner that stopped renewing", sum(ChaosWorker::takenAfterExpiry));
        row(table, "of which after a claim (balancing)", sum(ChaosWorker::takenByClaim));
        row(table, "listener spans (leaseGained to the return of leaseLost/leaseEnding)", history.listening.size());
        row(table, "renewals", history.renewals.size());
        row(table, "heartbeats (worker renewal mode)", sum(ChaosWorker::heartbeats));
        row(table, "checkpoint writes accepted", checkpoints(Outcome.ACCEPTED));
        row(table, "checkpoint writes refused (lease lost)", checkpoints(Outcome.REFUSED));
        row(table, "of which refused by DynamoDB's condition (fenced)", sum(ChaosWorker::fencedWrites));
        row(table, "checkpoint writes of unknown outcome (failed after retries)", checkpoints(Outcome.UNKNOWN));
        row(table, "resets written (answered) / applied by a take", history.resets.stream()
                .filter(reset -> reset.answeredNanos() != Long.MAX_VALUE).count() + " / " + history.resetsApplied.size());
        row(table, "every shard owned again after the faults stopped", (recovery == null ? "never" : recovery.toMillis() + " ms")
                + " (bound " + recoveryBound.toMillis() + " ms)");
        row(table, "balanced afterwards", balanced ? "yes" : "no");
        row(table, "violations", violations.size());
        return table.toString();
    }

    private static void row(StringBuilder table, String name, Object value) {
        table.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
}
