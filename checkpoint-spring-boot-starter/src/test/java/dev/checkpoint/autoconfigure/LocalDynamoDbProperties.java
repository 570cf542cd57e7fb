package dev.checkpoint.autoconfigure;

import java.util.UUID;

import dev.checkpoint.testsupport.TestDynamoDb;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Points checkpoint at the test server: its endpoint and region as properties, its credentials by a customizer. */
public final class LocalDynamoDbProperties {

    private LocalDynamoDbProperties() {
    }

    /** Endpoint, region and a fresh table name. */
    public static String[] forFreshTable() {
        TestDynamoDb server = TestDynamoDb.shared();
        return new String[] { "checkpoint.dynamodb.endpoint=" + server.endpoint(),
                "checkpoint.dynamodb.region=" + server.region().id(),
                "checkpoint.table-name=leases-" + UUID.randomUUID().toString().substring(0, 8) };
    }

    /** The test server's credentials, through the customizer users would write. */
    @Configuration(proxyBeanMethods = false)
    public static class Credentials {

        @Bean
        CheckpointDynamoDbClientCustomizer testCredentials() {
            return builder -> builder.credentialsProvider(TestDynamoDb.shared().credentials());
        }
    }
}
