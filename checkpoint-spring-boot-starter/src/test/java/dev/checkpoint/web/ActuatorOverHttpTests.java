package dev.checkpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import dev.checkpoint.ShardStatus;
import dev.checkpoint.autoconfigure.LocalDynamoDbProperties;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A web application with the starter, on a random port against the test DynamoDB: what an operator sees at
 * {@code /actuator/health} and {@code /actuator/leases}, over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "checkpoint.worker-id=web-worker", "management.endpoints.web.exposure.include=health,leases,metrics",
        "management.endpoint.health.show-details=always" })
class ActuatorOverHttpTests {

    private static final String TABLE = "web-leases-" + UUID.randomUUID().toString().substring(0, 8);

    @DynamicPropertySource
    static void dynamoDb(DynamicPropertyRegistry registry) {
        registry.add("checkpoint.table-name", () -> TABLE);
        registry.add("checkpoint.dynamodb.endpoint", () -> TestDynamoDb.shared().endpoint().toString());
        registry.add("checkpoint.dynamodb.region", () -> TestDynamoDb.shared().region().id());
    }

    @LocalServerPort
    int port;

    @Autowired
    DynamoDbCheckpointer checkpointer;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void healthIsUpWithTheCheckpointComponent() throws Exception {
        JsonNode health = get("/actuator/health", 200);

        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode component = health.path("components").path("checkpoint");
        assertThat(component.path("status").asString()).isEqualTo("UP");
        assertThat(component.path("details").path("table").asString()).isEqualTo(TABLE);
        assertThat(component.path("details").path("workerId").asString()).isEqualTo("web-worker");
        assertThat(component.path("details").has("leasesOwned")).isTrue();
    }

    @Test
    void leasesShowsEveryLeaseAndTheCountPerWorker() throws Exception {
        ShardStatus mine = new ShardStatus("shard-a");
        checkpointer.getLease(mine, "web-worker");
        mine.setCheckpoint("1234");
        checkpointer.checkpointSequence(mine);
        DynamoDbCheckpointer other = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient())
                .tableName(TABLE).workerId("other-worker").build();
        ShardStatus theirs = new ShardStatus("shard-b");
        theirs.setParentShardId("shard-a");
        other.getLease(theirs, "other-worker");

        JsonNode leases = get("/actuator/leases", 200);

        assertThat(leases.path("table").asString()).isEqualTo(TABLE);
        assertThat(leases.path("workerId").asString()).isEqualTo("web-worker");
        assertThat(leases.path("workers").path("web-worker").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(leases.path("workers").path("other-worker").asInt()).isEqualTo(1);
        JsonNode a = find(leases, "shard-a");
        assertThat(a.path("owner").asString()).isEqualTo("web-worker");
        assertThat(a.path("checkpoint").asString()).isEqualTo("1234");
        assertThat(a.path("heldByThisWorker").asBoolean()).isTrue();
        assertThat(a.path("expired").asBoolean()).isFalse();
        assertThat(a.path("leaseCounter").asLong()).isEqualTo(1);
        assertThat(a.path("leaseTimeout").asString()).endsWith("Z");
        JsonNode b = find(leases, "shard-b");
        assertThat(b.path("owner").asString()).isEqualTo("other-worker");
        assertThat(b.path("parentShardId").asString()).isEqualTo("shard-a");
        assertThat(b.path("heldByThisWorker").asBoolean()).isFalse();

        JsonNode filtered = get("/actuator/leases?owner=other-worker", 200);
        assertThat(filtered.path("leases")).hasSize(1);
        assertThat(filtered.path("leases").get(0).path("shardId").asString()).isEqualTo("shard-b");

        JsonNode one = get("/actuator/leases/shard-b", 200);
        assertThat(one.path("owner").asString()).isEqualTo("other-worker");
        get("/actuator/leases/no-such-shard", 404);
    }

    @Test
    void releasingIsNotAllowedByDefault() throws Exception {
        checkpointer.getLease(new ShardStatus("shard-c"), "web-worker");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/actuator/leases/shard-c")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(checkpointer.getLeaseOwner("shard-c")).isEqualTo("web-worker");
    }

    @Test
    void resettingIsNotAllowedByDefault() throws Exception {
        checkpointer.getLease(new ShardStatus("shard-d"), "web-worker");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/actuator/leases"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"position\": \"trim-horizon\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(checkpointer.leaseStore().find("shard-d").pendingReset()).isNull();
    }

    @Test
    void metricsAreExposed() throws Exception {
        checkpointer.getLease(new ShardStatus("shard-d"), "web-worker");

        JsonNode owned = get("/actuator/metrics/checkpoint.leases.owned", 200);
        assertThat(owned.path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(1);
        get("/actuator/metrics/checkpoint.dynamodb.requests", 200);
    }

    private JsonNode find(JsonNode leases, String shardId) {
        for (JsonNode lease : leases.path("leases")) {
            if (shardId.equals(lease.path("shardId").asString())) {
                return lease;
            }
        }
        throw new AssertionError("no lease " + shardId + " in " + leases);
    }

    private JsonNode get(String path, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(expectedStatus);
        return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @SpringBootApplication
    @Import(LocalDynamoDbProperties.Credentials.class)
    static class WebApplication {
    }
}
