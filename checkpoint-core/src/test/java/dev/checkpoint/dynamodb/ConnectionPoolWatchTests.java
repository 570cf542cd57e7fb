package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.testsupport.SlowHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.utils.AttributeMap;

/** A DynamoDB client with too few connections for the load is reported once, naming what to change; one with room, never. */
// Alone: it reads the watch's logger, which other classes' clients also write to.
@Isolated
class ConnectionPoolWatchTests {

    private final Logger logger = (Logger) LoggerFactory.getLogger(ConnectionPoolWatch.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    ConnectionPoolWatchTests() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(log);
    }

    @Test
    void aPoolThatMakesRequestsWaitIsReportedOnce() throws Exception {
        try (SlowHttpServer server = new SlowHttpServer(Duration.ofMillis(200)); DynamoDbClient client = client(server, 2)) {
            LeaseStore store = store(client);

            SlowHttpServer.atOnce(6, () -> store.find("shard-1"));
            SlowHttpServer.atOnce(6, () -> store.find("shard-1"));

            assertThat(server.mostAtOnceAndReset()).isEqualTo(2);
            assertThat(warnings()).singleElement().asString().contains("of its 2 connections")
                    .contains("checkpoint.dynamodb.max-connections").contains("max-renewal-threads");
        }
    }

    @Test
    void aPoolWithRoomForTheLoadIsNotReported() throws Exception {
        try (SlowHttpServer server = new SlowHttpServer(Duration.ofMillis(200)); DynamoDbClient client = client(server, 10)) {
            LeaseStore store = store(client);

            SlowHttpServer.atOnce(6, () -> store.find("shard-1"));

            assertThat(server.mostAtOnceAndReset()).isEqualTo(6);
            assertThat(warnings()).isEmpty();
        }
    }

    private List<String> warnings() {
        return log.list.stream().filter(event -> event.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    private static LeaseStore store(DynamoDbClient client) {
        return DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName("pool-watch").workerId("worker")
                .retries(0).build().leaseStore();
    }

    /** A client of the one HTTP implementation on the class path, with a pool of {@code maxConnections}. */
    private static DynamoDbClient client(SlowHttpServer server, int maxConnections) {
        SdkHttpService http = ServiceLoader.load(SdkHttpService.class).findFirst().orElseThrow();
        return DynamoDbClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(http.createHttpClientBuilder().buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.MAX_CONNECTIONS, maxConnections).build()))
                .build();
    }
}
