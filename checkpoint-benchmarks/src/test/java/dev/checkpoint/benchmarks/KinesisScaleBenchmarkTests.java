package dev.checkpoint.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

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
 * mode with {@code -Pbenchmarks}, on platform threads here and on virtual threads in the Java 25 run; 40 shards in
 * every build. It checks what must hold on any machine: every record put is processed, no lease is lost, and the
 * platform threads stay within the reader pool and a fixed number beside it, whatever the shards.
 */
@Tag("long")
class KinesisScaleBenchmarkTests {

    private static final Logger log = LoggerFactory.getLogger(KinesisScaleBenchmarkTests.class);
    private static final int FULL_SHARDS = Integer.getInteger("kinesis.scale.shards", 1000);
    private static final int SMOKE_SHARDS = 40;
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
        try (LocalAwsServer server = LocalAwsServer.start(LocalAwsServer.Kind.KINESIS_LOCAL, "--shardLimit",
                Integer.toString(shards * 2 + 10));
                KinesisClient kinesis = client(server);
                KinesisClient producer = client(server)) {
            if (full) {
                for (RenewalMode mode : RenewalMode.values()) {
                    results.add(new KinesisScaleScenario(KinesisScaleScenario.Settings.full(shards, mode, virtual), kinesis,
                            producer)
                            .run());
                }
            }
            else {
                results.add(new KinesisScaleScenario(KinesisScaleScenario.Settings.smoke(shards, virtual), kinesis, producer)
                        .run());
            }
        }
        results.forEach(result -> log.info("measured: {}", result));
        KinesisScaleScenario.write(results, BenchmarkMode.output());

        for (KinesisScaleScenario.Result result : results) {
            assertThat(result.processed()).as("records put and processed").isGreaterThanOrEqualTo(result.put());
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
