package dev.checkpoint.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The configuration processor turned every property's Javadoc into IDE metadata. */
class ConfigurationMetadataTests {

    @Test
    void everyCheckpointPropertyHasADescription() throws IOException {
        JsonNode metadata = checkpointMetadata();
        List<String> names = new ArrayList<>();
        for (JsonNode property : metadata.path("properties")) {
            String name = property.path("name").asString();
            if (name.startsWith("checkpoint.")) {
                names.add(name);
                assertThat(property.path("description").asString()).as(name).isNotBlank();
            }
        }
        assertThat(names).contains("checkpoint.table-name", "checkpoint.worker-id", "checkpoint.lease-duration",
                "checkpoint.retries", "checkpoint.lease-stealing.enabled", "checkpoint.lease-stealing.claim-timeout",
                "checkpoint.create-table", "checkpoint.billing-mode", "checkpoint.read-capacity",
                "checkpoint.write-capacity", "checkpoint.request-timeout", "checkpoint.table-initialization",
                "checkpoint.dynamodb.endpoint", "checkpoint.dynamodb.region");
    }

    @Test
    void theHealthIndicatorsSwitchHasMetadataToo() throws IOException {
        JsonNode health = null;
        for (JsonNode property : checkpointMetadata().path("properties")) {
            if (property.path("name").asString().equals("management.health.checkpoint.enabled")) {
                health = property;
            }
        }
        assertThat(health).as("management.health.checkpoint.enabled in the metadata").isNotNull();
        assertThat(health.path("description").asString()).isNotBlank();
        assertThat(health.path("defaultValue").asBoolean()).isTrue();
    }

    private static JsonNode checkpointMetadata() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        for (URL resource : Collections.list(ConfigurationMetadataTests.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = resource.openStream()) {
                JsonNode metadata = json.readTree(in);
                for (JsonNode group : metadata.path("groups")) {
                    if (CheckpointProperties.class.getName().equals(group.path("sourceType").asString())) {
                        return metadata;
                    }
                }
            }
        }
        throw new AssertionError("no configuration metadata for " + CheckpointProperties.class.getName());
    }
}
