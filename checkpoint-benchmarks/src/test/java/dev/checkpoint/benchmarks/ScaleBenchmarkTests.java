package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.checkpoint.RenewalMode;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale scenario, in both renewal modes. In every build a small run (60 shards, 3 workers) into
 * {@code target/benchmarks/scale.md}; with {@code -Pbenchmarks} 2,000 shards over 16 workers into
 * {@code docs/benchmarks}. It checks only what holds on any machine: everything balanced, every shard checkpointed, the
 * killed worker's shards taken over, and worker mode writing and reading less than per-lease mode.
 */
@Tag("long")
class ScaleBenchmarkTests {

    private static final Logger log = LoggerFactory.getLogger(ScaleBenchmarkTests.class);

    @Test
    void manyShardsOverManyWorkersBalanceAreCheckpointedAndFailOverInBothRenewalModes() throws Exception {
        List<ScaleScenario.Result> results = new ArrayList<>();
        for (RenewalMode mode : RenewalMode.values()) {
            ScaleScenario.Settings settings = BenchmarkMode.isFull() ? ScaleScenario.Settings.full(mode)
                    : ScaleScenario.Settings.smoke(mode);
            ScaleScenario.Result result = new ScaleScenario(settings).run();
            log.info("measured: {}", result);
            results.add(result);
        }
        ScaleScenario.write(results, BenchmarkMode.output());

        for (ScaleScenario.Result result : results) {
            ScaleScenario.Settings settings = result.settings();
            assertThat(result.movedToLast()).isGreaterThanOrEqualTo(settings.shards() / settings.workers());
            assertThat(result.checkpointsPerWorker()).as("every shard checkpointed each interval")
                    .isGreaterThan(0.8 * settings.shards() / settings.workers() / settings.checkpointEvery().toSeconds());
            assertThat(result.killedShards()).isPositive();
            assertThat(result.costPerShardMonth()).isPositive();
        }

        ScaleScenario.Result perLease = results.get(0);
        ScaleScenario.Result perWorker = results.get(1);
        assertThat(perWorker.renewalsPerWorker()).as("heartbeats against renewals")
                .isLessThan(perLease.renewalsPerWorker() / 4);
        assertThat(perWorker.scanPagesPerSync()).as("full scans of steady syncs")
                .isLessThan(perLease.scanPagesPerSync() / 2);
    }
}
