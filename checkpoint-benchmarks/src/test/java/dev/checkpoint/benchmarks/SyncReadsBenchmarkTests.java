package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a sync reads against the number of shards, in both renewal modes and both key layouts: in every build 60 and
 * 600 shards over 4 workers into {@code target/benchmarks/sync-reads.md}; with {@code -Pbenchmarks} 60, 600 and
 * 10,000 shards over 10 workers into {@code docs/benchmarks}. It checks what holds anywhere: per-lease reads grow with
 * the shards; worker-mode reads stay within a bound that does not depend on them.
 */
@Tag("long")
class SyncReadsBenchmarkTests {

    @Test
    void aSteadySyncReadsTheWholeTableInPerLeaseModeAndTheHeartbeatsInWorkerMode() throws Exception {
        boolean full = BenchmarkMode.isFull();
        int workers = full ? 10 : 4;
        List<SyncReadsScenario.Row> rows = SyncReadsScenario.run(full ? List.of(60, 600, 10_000) : List.of(60, 600), workers);
        SyncReadsScenario.write(rows, BenchmarkMode.output());

        SyncReadsScenario.Row small = rows.get(0);
        SyncReadsScenario.Row large = rows.get(rows.size() - 2);   // the largest table, Go layout
        assertThat(large.perLeaseUnits()).as("per-lease reads grow with the table").isGreaterThan(3 * small.perLeaseUnits());
        assertThat(large.workerUnits()).as("worker-mode reads of the same table").isLessThan(large.perLeaseUnits() / 2);
        // Worker mode's steady sync: the heartbeats and the mode row, and a page of at most 100 rows of its rotating
        // read (SyncReads.MAX_ROWS_PER_SYNC), whatever the table's size.
        assertThat(rows).allSatisfy(row -> assertThat(row.workerItems()).as("items a worker-mode sync reads, " + row)
                .isLessThanOrEqualTo(100 + workers + 1));
    }
}
