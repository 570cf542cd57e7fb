package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a sync reads against the number of shards, in both renewal modes and both key layouts: in every build 100 and
 * 500 shards over 4 workers into {@code target/benchmarks/sync-reads.md}; with {@code -Pbenchmarks} 100, 1,000 and
 * 10,000 shards over 10 workers into {@code docs/benchmarks}. It checks what holds anywhere: per-lease reads grow with
 * the shards, worker-mode reads far less.
 */
@Tag("long")
class SyncReadsBenchmarkTests {

    @Test
    void aSteadySyncReadsTheWholeTableInPerLeaseModeAndTheHeartbeatsInWorkerMode() throws Exception {
        boolean full = BenchmarkMode.isFull();
        List<SyncReadsScenario.Row> rows = SyncReadsScenario.run(full ? List.of(100, 1_000, 10_000) : List.of(100, 500),
                full ? 10 : 4);
        SyncReadsScenario.write(rows, BenchmarkMode.output());

        SyncReadsScenario.Row small = rows.get(0);
        SyncReadsScenario.Row large = rows.get(rows.size() - 2);   // the largest table, Go layout
        assertThat(large.perLeaseUnits()).as("per-lease reads grow with the table").isGreaterThan(3 * small.perLeaseUnits());
        assertThat(large.workerUnits()).as("worker-mode reads of the same table").isLessThan(large.perLeaseUnits() / 2);
    }
}
