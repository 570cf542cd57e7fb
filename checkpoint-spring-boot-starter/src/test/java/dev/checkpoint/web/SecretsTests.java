package dev.checkpoint.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.checkpoint.ShardStatus;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Credentials set in the properties appear in no endpoint and no log line, even with every endpoint exposed and
 * this library's logging at DEBUG; and the leases endpoint refuses writes unless an operator allows them.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "checkpoint.worker-id=secret-keeper", "management.endpoints.web.exposure.include=*",
        "management.endpoint.health.show-details=always", "logging.level.dev.checkpoint=DEBUG" })
class SecretsTests {

    private static final String TABLE = "secret-leases-" + UUID.randomUUID().toString().substring(0, 8);
    private static final AwsCredentials CREDENTIALS = credentials();

    @DynamicPropertySource
    static void dynamoDb(DynamicPropertyRegistry registry) {
        registry.add("checkpoint.table-name", () -> TABLE);
        registry.add("checkpoint.dynamodb.endpoint", () -> TestDynamoDb.shared().endpoint().toString());
        registry.add("checkpoint.dynamodb.region", () -> TestDynamoDb.shared().region().id());
        registry.add("checkpoint.dynamodb.access-key-id", CREDENTIALS::accessKeyId);
        registry.add("checkpoint.dynamodb.secret-access-key", CREDENTIALS::secretAccessKey);
    }

    /** Distinctive values where any will do, so that a leak cannot hide; the real ones elsewhere. */
    private static AwsCredentials credentials() {
        if (TestDynamoDb.shared().acceptsAnyCredentials()) {
            String unique = UUID.randomUUID().toString().replace("-", "");
            return software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("AKIDLEAKCHECK" + unique.substring(0, 8),
                    "secretLeakCheck" + unique);
        }
        return TestDynamoDb.shared().credentials().resolveCredentials();
    }

    @LocalServerPort
    int port;

    @Autowired
    DynamoDbCheckpointer checkpointer;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void credentialsAppearInNoEndpointAndNoLogLine(CapturedOutput output) throws Exception {
        ShardStatus shard = new ShardStatus("shard-secret");
        checkpointer.getLease(shard, "secret-keeper");
        shard.setCheckpoint("42");
        checkpointer.checkpointSequence(shard);

        List<String> bodies = new ArrayList<>();
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/leases", "/actuator/leases/shard-secret",
                "/actuator/configprops", "/actuator/env", "/actuator/env/checkpoint.dynamodb.secret-access-key",
                "/actuator/beans", "/actuator/metrics", "/actuator/metrics/checkpoint.dynamodb.requests", "/actuator/conditions",
                "/actuator/loggers", "/actuator/info")) {
            HttpResponse<String> response = get(path);
            bodies.add(path + " -> " + response.statusCode() + " " + response.body());
        }

        assertThat(bodies).anyMatch(body -> body.contains("shard-secret")).anyMatch(body -> body.contains("checkpoint.dynamodb"));
        for (String body : bodies) {
            assertThat(body).doesNotContain(CREDENTIALS.secretAccessKey()).doesNotContain(CREDENTIALS.accessKeyId());
        }
        assertThat(output.getAll()).contains("secret-keeper").doesNotContain(CREDENTIALS.secretAccessKey())
                .doesNotContain(CREDENTIALS.accessKeyId());
    }

    @Test
    void leaseWritesAreRefusedByDefault() throws Exception {
        checkpointer.getLease(new ShardStatus("shard-kept"), "secret-keeper");

        HttpResponse<String> delete = http.send(HttpRequest.newBuilder(uri("/actuator/leases/shard-kept")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/actuator/leases/shard-kept"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(post.statusCode()).as("no write operation but the gated release").isBetween(400, 499);
        assertThat(checkpointer.getLeaseOwner("shard-kept")).isEqualTo("secret-keeper");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SecretApplication {
    }
}
