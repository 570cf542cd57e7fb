package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scale scenario. In every build a small run (200 shards, 4 workers) into {@code target/benchmarks/scale.md}; with
 * {@code -Pbenchmarks} 2,000 shards over 16 workers into {@code docs/benchmarks}. It checks only what holds on any
 * machine: everything balanced, every shard checkpointed, and the killed worker's shards taken over.
 */
@Tag("long")
class ScaleBenchmarkTests {

    private static final Logger log = LoggerFactory.getLogger(ScaleBenchmarkTests.class);

    @Test
    void manyShardsOverManyWorkersBalanceAreCheckpointedAndFailOver() throws Exception {
        boolean full = BenchmarkMode.isFull();
        Path output = BenchmarkMode.output();
        ScaleScenario.Settings settings = full ? ScaleScenario.Settings.FULL : ScaleScenario.Settings.SMOKE;

        ScaleScenario.Result result = new ScaleScenario(settings).run();
        ScaleScenario.write(result, output);
        log.info("measured: {}", result);

        assertThat(result.movedToLast()).isGreaterThanOrEqualTo(settings.shards() / settings.workers());
        assertThat(result.checkpointsPerWorker()).as("every shard checkpointed each interval")
                .isGreaterThan(0.8 * settings.shards() / settings.workers() / settings.checkpointEvery().toSeconds());
        assertThat(result.killedShards()).isPositive();
        assertThat(result.costPerShardMonth()).isPositive();
    }
}
