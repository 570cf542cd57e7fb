package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client CPU per call against the floor with no server: in every build a short run into
 * {@code target/benchmarks/client-cpu.md}; with {@code -Pbenchmarks} 20,000 calls a round, 5 rounds, into
 * {@code docs/benchmarks}. It checks only what holds anywhere: every operation measured, each side's CPU positive.
 */
@Tag("long")
class ClientCpuBenchmarkTests {

    private static final Logger log = LoggerFactory.getLogger(ClientCpuBenchmarkTests.class);

    @Test
    void oursAgainstTheRawSdkWithAnAnswerFromMemory() throws Exception {
        boolean full = BenchmarkMode.isFull();
        int calls = full ? 20_000 : 500;
        int rounds = full ? 5 : 2;
        List<ClientCpuScenario.Row> rows = ClientCpuScenario.run(calls, rounds);
        ClientCpuScenario.write(rows, calls, rounds, BenchmarkMode.output());
        rows.forEach(row -> log.info("measured: {} floor {} µs, ours {} µs, ratio {}", row.operation(),
                row.floorMicros(), row.oursMicros(), String.format("%.2f", row.ratio())));

        assertThat(rows).hasSize(4).allSatisfy(row -> {
            assertThat(row.floorMicros()).isPositive();
            assertThat(row.oursMicros()).isPositive();
        });
    }
}
