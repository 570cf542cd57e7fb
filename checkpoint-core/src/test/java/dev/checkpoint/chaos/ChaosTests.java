package dev.checkpoint.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.checkpoint.RenewalMode;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos run, checked. By default a short run of 10 seconds (every kind of fault at least once, in its first round); {@code ./mvnw -Pchaos verify} runs the long one
 * (see docs/RELIABILITY.md). The report goes to the log and to {@code target/chaos/}.
 */
@Tag("long")
// Alone: its workers are processes that need the machine to themselves to keep the faults the only disturbance.
@Isolated
class ChaosTests {

    private static final Logger log = LoggerFactory.getLogger(ChaosTests.class);

    @Test
    void leasesStayExclusiveAndNoCheckpointIsLostThroughCrashesFreezesSkewThrottlingAndRestarts()
            throws InterruptedException, IOException {
        run(RenewalMode.LEASE);
    }

    /** The same faults with one heartbeat per worker; a killed worker comes back under its worker id (a new epoch). */
    @Test
    void inWorkerRenewalModeToo() throws InterruptedException, IOException {
        run(RenewalMode.WORKER);
    }

    private void run(RenewalMode mode) throws InterruptedException, IOException {
        ChaosRun.Settings settings = ChaosRun.Settings.fromSystemProperties(4, 24, Duration.ofSeconds(10), mode);
        ChaosReport report;
        try (ChaosRun run = new ChaosRun(settings)) {
            report = run.run();
        }

        String markdown = report.toMarkdown();
        Path file = Path.of("target", "chaos", "report-" + mode.text() + "-" + settings.seed() + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, markdown + "\n" + String.join("\n", report.violations()) + "\n");
        log.info("Chaos run report ({} renewal mode, seed {}):\n{}", mode.text(), settings.seed(), markdown);
        report.violations().forEach(violation -> log.error("violation: {}\n{}", violation,
                String.join("\n", timelineAround(report.history(), violation))));

        assertThat(report.violations()).as("violations; replay with -Dchaos.seed=" + settings.seed()).isEmpty();
        for (Fault fault : Fault.values()) {
            if (fault != Fault.RESTART_DYNAMODB || TestDynamoDb.shared().isDynalite()) {
                assertThat(report.injected(fault)).as(fault.description()).isPositive();
            }
        }
        assertThat(report.sum(ChaosWorker::takenAfterExpiry)).as("leases taken from stopped owners").isPositive();
        if (Boolean.getBoolean("chaos.strictLiveness")) {
            // Whether a freeze catches a thread between its local lease check and its write is chance: a long run
            // sees it; a short one under a CPU hog saw none in 30 s (the frozen workers' writes all stopped locally).
            // Fencing itself is tested deterministically in FencingTests and LateWriteTests.
            assertThat(report.sum(ChaosWorker::fencedWrites)).as("stale writes fenced by DynamoDB").isPositive();
        }
        assertThat(report.checkpoints(History.Outcome.ACCEPTED)).isGreaterThan(settings.shards());
    }

    private static final Pattern SHARD = Pattern.compile("shardId-\\d+");
    private static final Pattern NANOS = Pattern.compile("Nanos=(-?\\d+)");

    /** What the history holds of the shard a violation names, from 3 s before its spans to 1 s after. */
    private static List<String> timelineAround(History history, String violation) {
        Matcher shard = SHARD.matcher(violation);
        Matcher nanos = NANOS.matcher(violation);
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        while (nanos.find()) {
            long time = Long.parseLong(nanos.group(1));
            from = Math.min(from, time);
            to = Math.max(to, time);
        }
        if (!shard.find() || from == Long.MAX_VALUE) {
            return List.of();
        }
        return history.timeline(shard.group(), from - Duration.ofSeconds(3).toNanos(), to + Duration.ofSeconds(1).toNanos());
    }
}
