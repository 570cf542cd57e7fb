package dev.checkpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import dev.checkpoint.Lease;
import dev.checkpoint.NoLeaseOwnerException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With write access granted explicitly, an operator can release a lease this worker holds, and reset checkpoints. */
@SpringBootTest(classes = ActuatorOverHttpTests.WebApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "checkpoint.worker-id=web-worker", "management.endpoints.web.exposure.include=leases",
                "management.endpoint.leases.access=unrestricted" })
class ReleaseOverHttpTests {

    @DynamicPropertySource
    static void dynamoDb(DynamicPropertyRegistry registry) {
        registry.add("checkpoint.table-name", () -> "web-leases-" + UUID.randomUUID().toString().substring(0, 8));
        registry.add("checkpoint.dynamodb.endpoint", () -> TestDynamoDb.shared().endpoint().toString());
        registry.add("checkpoint.dynamodb.region", () -> TestDynamoDb.shared().region().id());
    }

    @LocalServerPort
    int port;

    @Autowired
    DynamoDbCheckpointer checkpointer;

    @Test
    void releaseFreesALeaseThisWorkerHoldsAndRefusesOthers() throws Exception {
        checkpointer.getLease(new ShardStatus("shard-1"), "web-worker");
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> released = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/leases/shard-1")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(released.statusCode()).isEqualTo(200);
        assertThat(released.body()).contains("\"released\":true");
        assertThatThrownBy(() -> checkpointer.getLeaseOwner("shard-1")).isInstanceOf(NoLeaseOwnerException.class);

        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/leases/shard-1")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("\"released\":false").contains("\"outcome\":\"not-held\"");

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/actuator/leases/no-such-shard")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void resetWritesAResetOnEveryLeaseOrTheOnesNamedAndRefusesBadInputWritingNothing() throws Exception {
        checkpointer.getLease(new ShardStatus("shard-r1"), "web-worker");
        checkpointer.getLease(new ShardStatus("shard-r2"), "web-worker");

        HttpResponse<String> bad = post("/actuator/leases", "{\"position\": \"at-timestamp\", \"timestamp\": \"yesterday\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"outcome\":\"bad-request\"").contains("timestamp 'yesterday'");
        HttpResponse<String> unknown = post("/actuator/leases", "{\"position\": \"latest\", \"shards\": \"shard-r1,nope\"}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("nope");
        assertThat(checkpointer.listLeases()).noneMatch(Lease::hasPendingReset);

        HttpResponse<String> some = post("/actuator/leases", "{\"position\": \"at-timestamp\", "
                + "\"timestamp\": \"2026-11-29T10:00:00Z\", \"shards\": \"shard-r1\", \"requestedBy\": \"alice\"}");
        assertThat(some.statusCode()).isEqualTo(200);
        assertThat(some.body()).contains("\"shardId\":\"shard-r1\"").contains("\"to\":\"AT_TIMESTAMP 2026-11-29T10:00:00Z\"")
                .contains("\"requestedBy\":\"alice\"").doesNotContain("shard-r2");
        assertThat(checkpointer.leaseStore().find("shard-r1").pendingReset().to())
                .isEqualTo(StartingPosition.atTimestamp(Instant.parse("2026-11-29T10:00:00Z")));
        assertThat(checkpointer.leaseStore().find("shard-r2").pendingReset()).isNull();

        HttpResponse<String> one = post("/actuator/leases/shard-r2", "{\"position\": \"at-sequence-number\", "
                + "\"sequenceNumber\": \"4242\"}");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("\"requestedBy\":\"/actuator/leases on web-worker\"");
        HttpResponse<String> pending = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/actuator/leases/shard-r2")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pending.body()).contains("\"reset\":{\"to\":\"AT_SEQUENCE_NUMBER 4242\"");
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
