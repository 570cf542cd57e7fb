package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.checkpoint.kinesis.Retrieval;
import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * A rolling restart under load through the Kinesis consumer (see {@link RollingRestartScenario}): with
 * {@code -Pbenchmarks} three instances over twelve shards, polling and fan-out; in every build two instances over six
 * shards, polling. It checks what must hold on any machine: every record put is processed, none twice (every hand-off
 * is graceful), and no shard goes unread for longer than a lease and a sync (the library's defaults: 20 s).
 */
@Tag("long")
class RollingRestartBenchmarkTests {

    private static final Logger log = LoggerFactory.getLogger(RollingRestartBenchmarkTests.class);
    private static final Duration LEASE_AND_SYNC = Duration.ofSeconds(20);

    @Test
    void aRollingRestartProcessesEveryRecordOnceAndLeavesNoShardUnreadForLongerThanALeaseAndASync() throws Exception {
        boolean full = BenchmarkMode.isFull();
        List<RollingRestartScenario.Settings> runs = full
                ? List.of(RollingRestartScenario.Settings.full(Retrieval.POLLING),
                        RollingRestartScenario.Settings.full(Retrieval.FAN_OUT))
                : List.of(RollingRestartScenario.Settings.smoke(Retrieval.POLLING));
        List<RollingRestartScenario.Result> results = new ArrayList<>();
        try (LocalAwsServer server = LocalAwsServer.start(LocalAwsServer.Kind.KINESIS_LOCAL);
                KinesisClient kinesis = KinesisClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                        .credentialsProvider(TestDynamoDb.shared().credentials()).build()) {
            for (RollingRestartScenario.Settings settings : runs) {
                results.add(new RollingRestartScenario(settings, server, kinesis).run());
            }
        }
        results.forEach(result -> log.info("measured: {}", result));
        RollingRestartScenario.write(results, BenchmarkMode.output());

        for (RollingRestartScenario.Result result : results) {
            assertThat(result.processed()).as("records put and processed").isEqualTo(result.put());
            assertThat(result.processedTwice()).as("records processed twice over graceful hand-offs").isZero();
            assertThat(result.longestUnreadDuring()).as("longest a shard went unread").isLessThan(LEASE_AND_SYNC);
        }
    }
}
