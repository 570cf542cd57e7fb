package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.checkpoint.RenewalMode;
import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * One worker consuming a local stream of many shards (see {@link KinesisScaleScenario}): 1,000 shards in each renewal
 * mode with {@code -Pbenchmarks}, on platform threads here and on virtual threads in the Java 25 run, and on platform
 * threads 200 shards, ours beside the Java KCL 3.5.1; 40 shards in every build. It checks what must hold on any machine: every record put is processed, no lease is lost, and the
 * platform threads stay within the reader pool and a fixed number beside it, whatever the shards.
 */
@Tag("long")
class KinesisScaleBenchmarkTests {

    private static final Logger log = LoggerFactory.getLogger(KinesisScaleBenchmarkTests.class);
    private static final int FULL_SHARDS = Integer.getInteger("kinesis.scale.shards", 1000);
    private static final int SMOKE_SHARDS = 40;
    /** The Java KCL's size in the full run, and ours beside it: the KCL runs a thread per shard. */
    private static final int KCL_SHARDS = Integer.getInteger("kinesis.scale.kcl.shards", 200);
    /**
     * Beside the readers: the checkpoint writers (a quarter of the readers), the renewal pool (at most 64), and 30 for
     * the coordinator's own, the takes' pool, the clients' and the timer. None of them follows the shards.
     */
    private static int mostThreadsBesideReaders(int readers) {
        return Math.max(4, readers / 4) + 64 + 30;
    }

    @Test
    void oneWorkerReadsManyShardsOnPlatformThreadsThatDoNotGrowWithThem() throws Exception {
        readsManyShards(false);
    }

    @Test
    @Tag("virtual-threads")
    void oneWorkerReadsManyShardsOnVirtualThreads() throws Exception {
        readsManyShards(true);
    }

    private static void readsManyShards(boolean virtual) throws Exception {
        boolean full = BenchmarkMode.isFull();
        int shards = full ? FULL_SHARDS : SMOKE_SHARDS;
        List<KinesisScaleScenario.Result> results = new ArrayList<>();
        List<KinesisScaleScenario.Settings> runs = new ArrayList<>();
        if (full) {
            for (RenewalMode mode : RenewalMode.values()) {
                runs.add(KinesisScaleScenario.Settings.full(shards, mode, virtual));
            }
            if (!virtual) {
                runs.add(KinesisScaleScenario.Settings.full(KCL_SHARDS, RenewalMode.LEASE, false));
                runs.add(KinesisScaleScenario.Settings.kcl(KCL_SHARDS));
            }
        }
        else {
            runs.add(KinesisScaleScenario.Settings.smoke(shards, virtual));
        }
        int shardLimit = runs.stream().mapToInt(KinesisScaleScenario.Settings::shards).sum() + 10;
        TestDynamoDb dynamoDb = TestDynamoDb.shared();
        try (LocalAwsServer server = LocalAwsServer.start(LocalAwsServer.Kind.KINESIS_LOCAL, "--shardLimit",
                Integer.toString(shardLimit));
                KinesisClient kinesis = client(server);
                KinesisClient producer = client(server)) {
            StreamConsumers kclConsumers = new StreamConsumers(server, dynamoDb.endpoint(), dynamoDb.credentials());
            int threadsAtStart = ManagementFactory.getThreadMXBean().getThreadCount();
            for (KinesisScaleScenario.Settings settings : runs) {
                // each run counts the threads it adds: the last run's idle pool threads end first
                int live = ProcessMeasures.awaitPlatformThreadsAtMost(threadsAtStart + 2, Duration.ofMinutes(2));
                log.info("{} platform threads before {} ({} before the first run)", live, settings.label(), threadsAtStart);
                results.add(new KinesisScaleScenario(settings, kinesis, producer, kclConsumers).run());
            }
        }
        results.forEach(result -> log.info("measured: {}", result));
        KinesisScaleScenario.write(results, BenchmarkMode.output());

        for (KinesisScaleScenario.Result result : results) {
            assertThat(result.processed()).as("records put and processed").isGreaterThanOrEqualTo(result.put());
            if (result.settings().kcl()) {
                continue; // the KCL's leases lost and threads are measured, not held to ours
            }
            assertThat(result.leasesLost()).as("leases lost while nothing failed").isZero();
            assertThat(result.readers().model()).isEqualTo(virtual ? "virtual" : "platform");
            assertThat(result.platformThreadsAdded()).as("platform threads added")
                    .isLessThanOrEqualTo(result.readers().maxThreads() + mostThreadsBesideReaders(result.readers().maxThreads()));
        }
    }

    private static KinesisClient client(LocalAwsServer server) {
        return KinesisClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(TestDynamoDb.shared().credentials()).build();
    }
}
