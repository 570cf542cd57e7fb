package dev.checkpoint.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import dev.checkpoint.NoLeaseOwnerException;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** With write access granted explicitly, an operator can release a lease this worker holds. */
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
}
