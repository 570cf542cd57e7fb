package dev.checkpoint.springcloudaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.testsupport.TestDynamoDb;
import io.awspring.cloud.dynamodb.DynamoDbTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.json.JsonMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;

/**
 * A web application as users have it: Spring Cloud AWS's DynamoDB starter configured by {@code spring.cloud.aws.*},
 * our starter with only {@code checkpoint.table-name}, a shard source and a listener. Over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "checkpoint.worker-id=sca-worker", "checkpoint.lease-duration=3s", "checkpoint.coordinator.sync-interval=500ms",
        "management.endpoints.web.exposure.include=health,leases", "management.endpoint.health.show-details=always" })
class SpringCloudAwsApplicationTests {

    private static final String TABLE = TestDynamoDb.uniqueTableName("sca-app");

    @DynamicPropertySource
    static void springCloudAws(DynamicPropertyRegistry registry) {
        for (String property : SpringCloudAwsProperties.pointingAtTheTestServer()) {
            String[] pair = property.split("=", 2);
            registry.add(pair[0], () -> pair[1]);
        }
        registry.add("checkpoint.table-name", () -> TABLE);
    }

    @LocalServerPort
    int port;

    @Autowired
    DynamoDbClient applicationClient;

    @Autowired
    DynamoDbTemplate template;

    @Test
    void healthAndLeasesAnswerAndTheApplicationsOwnClientStillWorks() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String leases = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> get(http, "/actuator/leases"), body -> body.contains("\"owner\":\"sca-worker\""));
        assertThat(leases).contains("\"table\":\"" + TABLE + "\"").contains("\"shardId\":\"shard-1\"")
                .contains("\"owner\":\"sca-worker\"");
        String health = get(http, "/actuator/health");
        assertThat(JsonMapper.builder().build().readTree(health).path("components").path("checkpoint").path("status")
                .asString()).isEqualTo("UP");

        // Spring Cloud AWS's client, and the template on it, reach the same DynamoDB: the lease row is there.
        assertThat(applicationClient.getItem(GetItemRequest.builder().tableName(TABLE).consistentRead(true)
                .key(java.util.Map.of("ShardID", AttributeValue.fromS("shard-1"))).build()).item()).containsKey("AssignedTo");
        assertThat(template).isNotNull();
    }

    private String get(HttpClient http, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    @SpringBootApplication
    static class ConsumerApplication {

        @Bean
        ShardSource shards() {
            return () -> List.of(Shard.of("shard-1"), Shard.of("shard-2"));
        }

        @Bean
        LeaseListener processor() {
            return new LeaseListener() {
                @Override
                public void leaseGained(OwnedShard shard) {
                    shard.checkpoint("1");
                }

                @Override
                public void leaseEnding(OwnedShard shard, EndReason reason) {
                }

                @Override
                public void leaseLost(OwnedShard shard) {
                }
            };
        }
    }
}
