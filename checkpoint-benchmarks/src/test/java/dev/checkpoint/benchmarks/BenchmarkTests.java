package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.checkpoint.benchmarks.Contender.Kind;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The benchmark. In every build, a smoke run of a few hundred milliseconds per case, into
 * {@code target/benchmarks}, so that it never rots; with {@code -Pbenchmarks}, the full run, into
 * {@code docs/benchmarks}. Either way it checks what must hold whatever the machine: every hot operation of ours
 * is exactly one request, never more than an anchor's, and every contender completed every case.
 */
@Tag("long")
class BenchmarkTests {

    @Test
    void everyContenderCompletesEveryOperationAndOursIsOneRequestEach() throws Exception {
        boolean full = BenchmarkMode.isFull();
        Path output = BenchmarkMode.output();

        BenchmarkRun.Outcome outcome = BenchmarkRun.run(full ? Harness.Settings.FULL : Harness.Settings.SMOKE,
                full ? new CoordinatorScenarios(1000, 256) : new CoordinatorScenarios(100, 32), output);
        Report report = outcome.report();

        for (Operation operation : new Operation[] { Operation.TAKE, Operation.RENEW, Operation.CHECKPOINT, Operation.RELEASE }) {
            double ours = report.find(operation, Kind.OURS, 1).orElseThrow().requestsPerCall();
            assertThat(ours).as("requests per %s", operation.description()).isEqualTo(1.0);
            for (Kind anchor : new Kind[] { Kind.KCL, Kind.SPRING_CLOUD_AWS }) {
                assertThat(report.find(operation, anchor, 1)).as("%s of %s", operation, anchor).isPresent();
                assertThat(ours).isLessThanOrEqualTo(report.find(operation, anchor, 1).orElseThrow().requestsPerCall());
            }
            assertThat(report.ratio(operation, Kind.FLOOR, 1)).isPresent();
        }
        assertThat(report.find(Operation.LIST_10000, Kind.OURS, full ? 8 : 1)).isPresent();
        assertThat(report.find(Operation.SEED_GET_LEASE, Kind.SEED, 1).orElseThrow().requestsPerCall()).isEqualTo(2.0);
        assertThat(outcome.scenarios()).hasSize(4);
    }
}
