package dev.checkpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointException;
import dev.checkpoint.autoconfigure.CheckpointDynamoDbClientCustomizer;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.testsupport.LocalAwsServer;
import dev.checkpoint.testsupport.RequestCounter;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A web application with the starter and a running coordinator survives DynamoDB going away for 30 s: it stays
 * up, says DOWN with the reason, retries without a storm, and afterwards is UP with its leases and with every
 * checkpoint it acknowledged before the outage. It needs a DynamoDB it may stop, so it starts a dynalite of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
@Tag("long")
class OutageTests {

    private static final Logger log = LoggerFactory.getLogger(OutageTests.class);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final List<String> SHARDS = List.of("shard-0", "shard-1", "shard-2", "shard-3");

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void applicationStaysUpReportsDownRetriesCalmlyAndRecoversWithEveryAcknowledgedCheckpoint(CapturedOutput output)
            throws Exception {
        String table = TestDynamoDb.uniqueTableName("outage");
        try (LocalAwsServer dynalite = LocalAwsServer.start(LocalAwsServer.Kind.DYNALITE, "--path",
                LocalAwsServer.newDataDirectory("outage-dynalite").toString());
                ConfigurableApplicationContext context = new SpringApplicationBuilder(OutageApplication.class).properties(
                        "server.port=0", "checkpoint.table-name=" + table, "checkpoint.worker-id=survivor",
                        "checkpoint.dynamodb.endpoint=" + dynalite.endpoint(), "checkpoint.dynamodb.region=us-east-1",
                        "checkpoint.dynamodb.access-key-id=local", "checkpoint.dynamodb.secret-access-key=local",
                        "checkpoint.lease-duration=" + LEASE.toMillis() + "ms", "checkpoint.retries=3",
                        "checkpoint.request-timeout=500ms", "checkpoint.coordinator.sync-interval=1s",
                        "management.endpoints.web.exposure.include=health,leases",
                        "management.endpoint.health.show-details=always").run()) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            Processor processor = context.getBean(Processor.class);
            RequestCounter requests = context.getBean(RequestCounter.class);
            LeaseCoordinator coordinator = context.getBean(LeaseCoordinator.class);
            await(Duration.ofSeconds(10), () -> coordinator.ownedShards().size() == SHARDS.size()
                    && SHARDS.stream().allMatch(shard -> processor.acknowledged.getOrDefault(shard, 0L) > 3));
            assertThat(health(port).path("status").asString()).isEqualTo("UP");

            dynalite.crash();
            long outageStart = System.nanoTime();
            Map<String, Long> acknowledgedBefore = Map.copyOf(processor.acknowledged);
            int requestsBefore = requests.total();
            int logLengthBefore = output.getAll().length();
            Duration downAfter = await(LEASE.multipliedBy(3), () -> "DOWN".equals(health(port).path("status").asString()));
            JsonNode down = health(port).path("components").path("checkpoint");
            int requestsAtHalfTime = -1;
            while (System.nanoTime() - outageStart < OUTAGE.toNanos()) {
                if (requestsAtHalfTime < 0 && System.nanoTime() - outageStart > OUTAGE.toNanos() / 2) {
                    requestsAtHalfTime = requests.total();
                }
                down = health(port).path("components").path("checkpoint");
                assertThat(down.path("status").asString()).as("still answering, and DOWN").isEqualTo("DOWN");
                Thread.sleep(1000);
            }
            int outageRequests = requests.total() - requestsBefore;
            int secondHalfRequests = requests.total() - requestsAtHalfTime;
            List<String> outageLogLines = output.getAll().substring(logLengthBefore).lines()
                    .filter(line -> line.contains("WARN") || line.contains("ERROR")).toList();
            dynalite.restart();
            long restartedAt = System.nanoTime();
            Duration upAfter = await(LEASE.multipliedBy(4), () -> "UP".equals(health(port).path("status").asString()));
            await(LEASE.multipliedBy(4), () -> coordinator.ownedShards().size() == SHARDS.size());
            Duration reacquiredAfter = Duration.ofNanos(System.nanoTime() - restartedAt);

            log.info("measured: DOWN {} ms into the outage; {} requests ({} in the second half, health checks "
                    + "included) and {} warning/error log lines in {} s; UP {} ms and all leases re-acquired {} ms after "
                    + "DynamoDB came back", downAfter.toMillis(), outageRequests, secondHalfRequests,
                    outageLogLines.size(), OUTAGE.toSeconds(), upAfter.toMillis(), reacquiredAfter.toMillis());
            assertThat(down.path("details").path("reason").asString()).isEqualTo("DynamoDB did not answer");
            assertThat(down.path("details").path("error").asString()).contains("describe table").contains(table);
            assertThat(down.path("details").path("coordinator").path("failedSyncs").asInt()).isPositive();
            // Once the leases are gone, only the health checks (one a second here) and the syncs, backed off to one
            // a lease duration with 1 + 3 attempts each, go out: about 35 in 15 s, where a storm would be hundreds.
            long half = OUTAGE.toSeconds() / 2;
            long bound = half + (half / LEASE.toSeconds() + 1) * (1 + 3);
            assertThat(secondHalfRequests).as("requests in the second half of the outage").isLessThanOrEqualTo((int) bound);
            assertThat(outageRequests).as("requests in the whole outage").isLessThan(10 * (int) OUTAGE.toSeconds());
            assertThat(outageLogLines).as("no log storm: at most one warning a second").hasSizeLessThanOrEqualTo((int) OUTAGE.toSeconds());
            Map<String, Long> stored = storedCheckpoints(dynalite, table);
            for (String shard : SHARDS) {
                assertThat(stored.get(shard)).as("checkpoint of %s acknowledged before the outage", shard)
                        .isGreaterThanOrEqualTo(acknowledgedBefore.get(shard));
                assertThat(processor.resumedFrom(shard)).as("the re-acquired %s resumes from what was acknowledged", shard)
                        .isGreaterThanOrEqualTo(acknowledgedBefore.get(shard));
            }
        }
    }

    private JsonNode health(int port) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
            return json.readTree(response.body());
        }
        catch (IOException | InterruptedException failure) {
            throw new AssertionError("the application did not answer: " + failure, failure);
        }
    }

    private static Map<String, Long> storedCheckpoints(LocalAwsServer dynalite, String table) {
        Map<String, Long> stored = new ConcurrentHashMap<>();
        try (DynamoDbClient client = TestDynamoDb.of(dynalite).newClient()) {
            client.scanPaginator(scan -> scan.tableName(table).consistentRead(true)).items().forEach(item -> {
                if (item.containsKey(CheckpointConstants.SEQUENCE_NUMBER_KEY)) {
                    stored.put(item.get(CheckpointConstants.LEASE_KEY_KEY).s(),
                            Long.parseLong(item.get(CheckpointConstants.SEQUENCE_NUMBER_KEY).s()));
                }
            });
        }
        return stored;
    }

    private static Duration await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - start).as("waited longer than " + limit).isLessThan(limit.toNanos());
            Thread.sleep(50);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class OutageApplication {

        @Bean
        ShardSource shards() {
            return () -> SHARDS.stream().map(Shard::of).toList();
        }

        @Bean
        Processor processor() {
            return new Processor();
        }

        @Bean
        RequestCounter requestCounter() {
            return new RequestCounter();
        }

        @Bean
        CheckpointDynamoDbClientCustomizer countRequests(RequestCounter counter) {
            return builder -> builder.overrideConfiguration(override -> override.addExecutionInterceptor(counter));
        }
    }

    /** Checkpoints one higher every 100 ms on each owned shard, remembering what was acknowledged and resumed from. */
    static final class Processor implements LeaseListener {

        final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        private final List<Map.Entry<String, Long>> resumed = new CopyOnWriteArrayList<>();

        long resumedFrom(String shard) {
            return resumed.stream().filter(entry -> entry.getKey().equals(shard)).mapToLong(Map.Entry::getValue)
                    .reduce((first, last) -> last).orElseThrow();
        }

        @Override
        public void leaseGained(OwnedShard shard) {
            long from = shard.checkpoint() == null ? 0 : Long.parseLong(shard.checkpoint());
            resumed.add(Map.entry(shard.shardId(), from));
            Thread thread = new Thread(() -> process(shard, from), "process-" + shard.shardId());
            thread.setDaemon(true);
            thread.start();
        }

        private void process(OwnedShard shard, long from) {
            long next = from;
            while (shard.isHeld()) {
                try {
                    shard.checkpoint(Long.toString(++next));
                    acknowledged.merge(shard.shardId(), next, Math::max);
                    Thread.sleep(100);
                }
                catch (CheckpointException failed) {
                    sleepQuietly();
                }
                catch (InterruptedException interrupted) {
                    return;
                }
            }
        }

        private static void sleepQuietly() {
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void leaseEnding(OwnedShard shard, EndReason reason) {
        }

        @Override
        public void leaseLost(OwnedShard shard) {
        }
    }
}
