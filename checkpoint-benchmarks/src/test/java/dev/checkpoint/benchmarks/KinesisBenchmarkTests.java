package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Kinesis consumption, ours beside the Java KCL 3.5.1's, polling and with enhanced fan-out, and Spring Cloud AWS
 * 4.0.0's adapter (its binder's, polling). In every build a smoke run of ours polling into
 * {@code target/benchmarks/kinesis.md}; with {@code -Pbenchmarks} the full run, every consumer, into
 * {@code docs/benchmarks}.
 * It checks only what must hold on any machine: each consumer got every record, and every record put while it ran.
 */
@Tag("long")
class KinesisBenchmarkTests {

    private static final Logger log = LoggerFactory.getLogger(KinesisBenchmarkTests.class);

    @Test
    void bothConsumersReadEveryRecordAndTheFiguresAreWritten() throws Exception {
        boolean full = BenchmarkMode.isFull();
        Path output = BenchmarkMode.output();
        KinesisBenchmark.Settings settings = full ? KinesisBenchmark.Settings.FULL : KinesisBenchmark.Settings.SMOKE;
        TestDynamoDb dynamoDb = TestDynamoDb.shared();
        try (LocalAwsServer kinesisServer = LocalAwsServer.start(LocalAwsServer.Kind.KINESIS_LOCAL);
                KinesisClient kinesis = KinesisClient.builder().endpointOverride(kinesisServer.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(dynamoDb.credentials()).build()) {
            StreamConsumers consumers = new StreamConsumers(kinesisServer, dynamoDb.endpoint(), dynamoDb.credentials());
            KinesisBenchmark benchmark = new KinesisBenchmark(kinesis, settings);
            Duration equal = Duration.ofMillis(200);
            List<KinesisBenchmark.Result> results = new ArrayList<>(List.of(
                    benchmark.measure("checkpoint-kinesis", "200 ms", (stream, sink) -> consumers.ours(stream, equal, sink))));
            if (full) {
                // fan-out's latency here is kinesis-local's (it pushes once a second), not Kinesis's: the full run only
                results.add(benchmark.measure("checkpoint-kinesis, fan-out", "—", consumers::oursFanOut));
                results.add(benchmark.measure("Java KCL 3.5.1, fan-out", "—", consumers::kclFanOut));
                // The KCL's start alone takes 70 to 85 s here (its leader election and lease assignment): in the full
                // run only, which compares the two.
                results.add(benchmark.measure("Java KCL 3.5.1, polling", "200 ms",
                        (stream, sink) -> consumers.kcl(stream, equal, sink)));
                results.add(benchmark.measure("checkpoint-kinesis", "default (500 ms)",
                        (stream, sink) -> consumers.ours(stream, Duration.ofMillis(500), sink)));
                results.add(benchmark.measure("Java KCL 3.5.1, polling", "default (1.5 s)",
                        (stream, sink) -> consumers.kcl(stream, null, sink)));
                // Spring Cloud AWS's adapter waits at least 250 ms between polls: its nearest to equal terms
                results.add(benchmark.measure("Spring Cloud AWS 4.0.0 (binder's adapter)", "250 ms (its least)",
                        (stream, sink) -> consumers.springCloudAws(stream, Duration.ofMillis(250), sink)));
                results.add(benchmark.measure("Spring Cloud AWS 4.0.0 (binder's adapter)", "default (1 s)",
                        (stream, sink) -> consumers.springCloudAws(stream, null, sink)));
            }
            KinesisBenchmark.write(results, settings, output);
            results.forEach(result -> log.info("measured: {}", result));

            assertThat(results).allSatisfy(result -> {
                assertThat(result.recordsPerSecond()).isPositive();
                assertThat(result.put()).isPositive();
                assertThat(result.latencySamples()).as("records put at a steady rate and processed").isEqualTo(result.put());
            });
        }
    }
}
