package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.Lease;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Bad input gets a clear error naming it, and loses nothing: shard ids too long for DynamoDB or in any script,
 * checkpoints too large for an item, and endpoints that are not DynamoDB at all. Each test is a row of the
 * catalogue in docs/RELIABILITY.md.
 */
class BadInputTests {

    private final ManualMonotonicClock clock = new ManualMonotonicClock();
    private final String table = Tables.newTableName();
    private final DynamoDbCheckpointer checkpointer = Tables.initialised(
            Tables.checkpointer(Tables.client(), table, "worker-1", clock));

    @Test
    void shardIdLongerThanDynamoDbAllowsIsRefusedBeforeAnyRequest() {
        String ascii = "s".repeat(CheckpointConstants.MAX_SHARD_ID_BYTES + 1);
        String threeBytesEach = "日".repeat(CheckpointConstants.MAX_SHARD_ID_BYTES / 3 + 1);   // 683 characters, 2049 bytes

        for (String id : List.of(ascii, threeBytesEach)) {
            assertThatThrownBy(() -> new ShardStatus(id)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shard id").hasMessageContaining("2049 bytes").hasMessageContaining("2048");
            assertThatThrownBy(() -> checkpointer.removeLeaseOwner(id)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2048");
            assertThatThrownBy(() -> checkpointer.leaseStore().createIfMissing(id, null)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(checkpointer.listLeases()).isEmpty();
    }

    @Test
    void shardIdOfExactlyTheLimitWorksEndToEnd() {
        String id = "é".repeat(CheckpointConstants.MAX_SHARD_ID_BYTES / 2);   // 1024 characters, 2048 bytes

        roundTrip(id);
    }

    @ParameterizedTest
    @ValueSource(strings = { "シャード-0001", "shard-😀-emoji", "ünïcödé", "עברית-shard", "e\u0301-combining",
            "spaces and\ttabs", "quote'\"<&>", "#hash:colon" })
    void nonAsciiAndOddShardIdsWorkEndToEnd(String id) {
        roundTrip(id);
    }

    private void roundTrip(String id) {
        ShardStatus shard = new ShardStatus(id);
        checkpointer.getLease(shard, "worker-1");
        shard.setCheckpoint("49590338271490256608559692538361571095921575989136588898");
        checkpointer.checkpointSequence(shard);

        ShardStatus read = new ShardStatus(id);
        checkpointer.fetchCheckpoint(read);
        assertThat(read.getCheckpoint()).isEqualTo(shard.getCheckpoint());
        assertThat(checkpointer.getLeaseOwner(id)).isEqualTo("worker-1");
        assertThat(checkpointer.listLeases()).extracting(Lease::shardId).containsExactly(id);
        checkpointer.removeLeaseOwner(id);
        assertThat(checkpointer.leaseStore().find(id).owner()).isNull();
    }

    @Test
    void checkpointTooLargeForAnItemIsAClearErrorAndTheStoredOneStays() {
        ShardStatus shard = new ShardStatus("shard-big");
        checkpointer.getLease(shard, "worker-1");
        shard.setCheckpoint("100");
        checkpointer.checkpointSequence(shard);

        shard.setCheckpoint("9".repeat(500_000));
        assertThatThrownBy(() -> checkpointer.checkpointSequence(shard)).isInstanceOf(CheckpointStoreException.class)
                .hasMessageContaining("checkpoint").hasMessageContaining("shard-big");

        ShardStatus read = new ShardStatus("shard-big");
        checkpointer.fetchCheckpoint(read);
        assertThat(read.getCheckpoint()).isEqualTo("100");
        assertThat(read.getLeaseOwner()).isEqualTo("worker-1");
    }

    @Test
    void endpointThatAnswersHtmlIsAClearErrorNotANullPointer() throws IOException {
        HttpServer server = serve(200, "text/html", "<html><body>It works!</body></html>");
        try {
            assertRefusedClearly(server.getAddress().getPort());
        }
        finally {
            server.stop(0);
        }
    }

    @Test
    void endpointThatAnswersGarbageJsonIsAClearError() throws IOException {
        HttpServer server = serve(200, "application/x-amz-json-1.0", "{\"Table\": {\"KeySchema\": 42, ");
        try {
            assertRefusedClearly(server.getAddress().getPort());
        }
        finally {
            server.stop(0);
        }
    }

    @Test
    void endpointThatAnswersWithAServerErrorIsRetriedThenAClearError() throws IOException {
        HttpServer server = serve(500, "text/plain", "internal error");
        try {
            assertRefusedClearly(server.getAddress().getPort());
        }
        finally {
            server.stop(0);
        }
    }

    @Test
    void endpointThatAcceptsButNeverAnswersTimesOutWithinTheBound() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (!silent.isClosed()) {
                        accepted.add(silent.accept());   // hold the connection open, say nothing
                    }
                }
                catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();

            assertRefusedClearly(silent.getLocalPort());

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            // three calls, each 3 attempts of 300 ms plus backoff (about 3 s): bounded, not hung on a silent server
            assertThat(took).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void endpointWhereNothingListensIsAClearError() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        assertRefusedClearly(port);
    }

    private void assertRefusedClearly(int port) {
        DynamoDbClient client = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "y"))).build();
        DynamoDbCheckpointer pointed = DynamoDbCheckpointer.builder().dynamoDbClient(client).tableName("leases")
                .workerId("worker-1").retries(2).requestTimeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(pointed::init).isInstanceOf(CheckpointStoreException.class)
                .hasMessageContaining("leases").hasMessageContaining("failed");
        assertThatThrownBy(() -> pointed.getLease(new ShardStatus("shard-1"), "worker-1"))
                .isInstanceOf(CheckpointStoreException.class).hasMessageContaining("shard-1");
        assertThatThrownBy(pointed::listLeases).isInstanceOf(CheckpointStoreException.class)
                .hasMessageContaining("leases");
    }

    private static HttpServer serve(int status, String contentType, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
