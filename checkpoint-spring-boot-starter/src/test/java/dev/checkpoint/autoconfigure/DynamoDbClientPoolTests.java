package dev.checkpoint.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The starter's own DynamoDB client has a connection for every renewal thread and the SDK's 50 more, or as many as
 * {@code checkpoint.dynamodb.max-connections} says: measured as the requests a slow server sees at once.
 */
class DynamoDbClientPoolTests {

    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();

    @Test
    void byDefaultAConnectionForEveryRenewalThreadAndFiftyMore() {
        CheckpointProperties.Dynamodb properties = new CheckpointProperties.Dynamodb();
        assertThat(properties.maxConnections(64)).isEqualTo(114);
        properties.setMaxConnections(7);
        assertThat(properties.maxConnections(64)).isEqualTo(7);
    }

    @Test
    void thePoolBoundsTheRequestsInFlight() throws Exception {
        try (SlowServer server = new SlowServer()) {
            assertThat(mostAtOnce(server, 2, 6)).as("max-connections=2").isEqualTo(2);
            assertThat(mostAtOnce(server, null, 6)).as("the default, 3 renewal threads and 50").isEqualTo(6);
        }
    }

    @Test
    void noConnectionIsRefusedNamingTheProperty() {
        CheckpointProperties.Dynamodb properties = new CheckpointProperties.Dynamodb();
        properties.setMaxConnections(0);

        assertThatThrownBy(() -> properties.maxConnections(64)).isInstanceOf(InvalidCheckpointPropertyException.class)
                .hasMessageContaining("checkpoint.dynamodb.max-connections");
    }

    @Test
    void besideTheApplicationsClientItIsRefusedAsItWouldBeIgnored() {
        beans.registerSingleton("application", DynamoDbClient.builder().region(Region.US_EAST_1)
                .credentialsProvider(credentials()).build());
        CheckpointProperties.Dynamodb properties = new CheckpointProperties.Dynamodb();
        properties.setMaxConnections(20);

        assertThatThrownBy(() -> CheckpointDynamoDbClientFactory.choose(properties, 3,
                beans.getBeanProvider(DynamoDbClient.class), beans.getBeanProvider(AwsRegionProvider.class),
                beans.getBeanProvider(AwsCredentialsProvider.class), Stream.empty()))
                .isInstanceOf(InvalidCheckpointPropertyException.class)
                .hasMessageContaining("checkpoint.dynamodb.max-connections").hasMessageContaining("ignored");
    }

    /** Sends {@code requests} at once through the starter's own client, and says how many the server had at once. */
    private int mostAtOnce(SlowServer server, Integer maxConnections, int requests) throws Exception {
        CheckpointProperties.Dynamodb properties = new CheckpointProperties.Dynamodb();
        properties.setEndpoint(server.endpoint());
        properties.setRegion("us-east-1");
        properties.setAccessKeyId("local");
        properties.setSecretAccessKey("local");
        properties.setMaxConnections(maxConnections);
        server.most.set(0);
        try (CheckpointDynamoDbClient client = CheckpointDynamoDbClientFactory.choose(properties, 3,
                beans.getBeanProvider(DynamoDbClient.class), beans.getBeanProvider(AwsRegionProvider.class),
                beans.getBeanProvider(AwsCredentialsProvider.class), Stream.empty())) {
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Thread sender = new Thread(() -> {
                    try {
                        client.client().listTables();
                    }
                    catch (RuntimeException refusedByTheServer) {
                        // the server answers every request with an error, after a while
                    }
                });
                sender.start();
                senders.add(sender);
            }
            for (Thread sender : senders) {
                sender.join();
            }
        }
        return server.most.get();
    }

    private static AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    /** Answers each request with an error after 300 ms, counting the most requests it had at once. */
    private static final class SlowServer implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(16);
        private final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        SlowServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                try {
                    exchange.getRequestBody().readAllBytes();
                    Thread.sleep(300);
                    byte[] body = "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ValidationException\",\"message\":\"slow\"}"
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                    exchange.sendResponseHeaders(400, body.length);
                    exchange.getResponseBody().write(body);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                finally {
                    now.decrementAndGet();
                    exchange.close();
                }
            });
            server.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
