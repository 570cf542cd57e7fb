package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.checkpoint.CheckpointStoreException;
import dev.checkpoint.ImportedCheckpoint;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.ShardStatus;
import dev.checkpoint.testsupport.FaultInjector;
import dev.checkpoint.testsupport.RequestCounter;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/** Retries are bounded and backed off, conditional failures are never retried blindly, and every call has a timeout. */
class RetryAndTimeoutTests {

    private final RequestCounter requests = new RequestCounter();
    private final FaultInjector faults = new FaultInjector();
    private final List<Duration> sleeps = new ArrayList<>();
    private final DynamoDbClient client = Tables.client(requests, faults);
    private String table;

    @BeforeEach
    void createTable() {
        table = Tables.newTableName();
        Tables.initialised(Tables.checkpointer(client, table, "creator", new ManualMonotonicClock()));
        requests.reset();
    }

    private DynamoDbCheckpointer worker(int retries) {
        return Tables.checkpointer(client, table, "worker", new ManualMonotonicClock())
                .retries(retries)
                .sleeper(sleeps::add)
                .build();
    }

    @Test
    void throttlingIsRetriedWithGrowingJitteredBackoffAndThenSucceeds() {
        DynamoDbCheckpointer worker = worker(5);
        faults.throttleNext(3);

        worker.getLease(new ShardStatus("shard-1"), "worker");

        assertThat(faults.injected()).isEqualTo(3);
        assertThat(requests.counts()).isEqualTo(Map.of("UpdateItem", 4));
        assertThat(sleeps).containsExactly(Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(worker.getLeaseOwner("shard-1")).isEqualTo("worker");
    }

    @Test
    void retriesAreBoundedByTheSetting() {
        DynamoDbCheckpointer worker = worker(3);
        faults.throttleNext(100);

        assertThatThrownBy(() -> worker.getLease(new ShardStatus("shard-1"), "worker"))
                .isInstanceOf(CheckpointStoreException.class)
                .hasMessageContaining("take lease of shard shard-1 in table " + table + " failed after 4 attempts")
                .hasCauseInstanceOf(ProvisionedThroughputExceededException.class);
        assertThat(requests.total()).isEqualTo(4);
        assertThat(sleeps).hasSize(3);
    }

    @Test
    void zeroRetriesMeansOneAttempt() {
        DynamoDbCheckpointer worker = worker(0);
        faults.throttleNext(1);

        assertThatThrownBy(() -> worker.getLease(new ShardStatus("shard-1"), "worker"))
                .isInstanceOf(CheckpointStoreException.class);
        assertThat(requests.total()).isEqualTo(1);
    }

    @Test
    void theClientsOwnRetriesAreSwitchedOff() {
        // A client with the SDK's default retry mode would retry throttling by itself; ours must not.
        RequestCounter counted = new RequestCounter();
        FaultInjector throttled = new FaultInjector();
        DynamoDbClient defaultClient = TestDynamoDb.shared().newClient(counted, throttled);
        DynamoDbCheckpointer worker = Tables.checkpointer(defaultClient, table, "worker", new ManualMonotonicClock())
                .retries(1).build();
        throttled.throttleNext(100);

        assertThatThrownBy(() -> worker.getLease(new ShardStatus("shard-1"), "worker"))
                .isInstanceOf(CheckpointStoreException.class);
        assertThat(counted.total()).isEqualTo(2);
    }

    @Test
    void retryOfOurOwnTakeThatHadLandedIsSuccessNotALostRace() {
        DynamoDbCheckpointer worker = worker(3);
        faults.loseNextResponses(1);

        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker");

        assertThat(shard.getLeaseOwner()).isEqualTo("worker");
        assertThat(shard.getLeaseCounter()).isEqualTo(1L);
        // the write, its retry (refused by the condition), and the re-read that shows it was ours
        assertThat(requests.counts()).isEqualTo(Map.of("GetItem", 1, "UpdateItem", 2));
    }

    @Test
    void retryOfOurOwnRenewalCheckpointReleaseAndClaimThatHadLandedIsSuccess() {
        DynamoDbCheckpointer worker = worker(3);
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "worker");

        faults.loseNextResponses(1);
        worker.getLease(shard, "worker");
        assertThat(shard.getLeaseCounter()).isEqualTo(2L);

        faults.loseNextResponses(1);
        shard.setCheckpoint("5");
        worker.checkpointSequence(shard);

        DynamoDbCheckpointer claimant = Tables.checkpointer(client, table, "claimant", new ManualMonotonicClock())
                .retries(3).sleeper(sleeps::add).build();
        faults.loseNextResponses(1);
        claimant.claimShard(shard, "claimant");

        faults.loseNextResponses(1);
        worker.removeLeaseOwner("shard-1");

        ShardStatus stored = new ShardStatus("shard-1");
        worker.fetchCheckpoint(stored);
        assertThat(stored.getCheckpoint()).isEqualTo("5");
        assertThat(stored.getLeaseOwner()).isNull();
        assertThat(stored.getClaimRequest()).isEqualTo("claimant");
        assertThat(stored.getLeaseCounter()).isEqualTo(3L);
        assertThat(faults.injected()).isEqualTo(4);
    }

    /** An import whose answer was lost is tried again, refused by its own condition, and read back: written, not changed. */
    @Test
    void retryOfOurOwnImportThatHadLandedIsWritten() {
        LeaseStore store = worker(3).leaseStore();
        faults.loseNextResponses(1);

        assertThat(store.importCheckpoint(ImportedCheckpoint.after("shard-1", "42", 3L, null), null)).isTrue();

        assertThat(store.find("shard-1").checkpoint()).isEqualTo("42");
        assertThat(faults.injected()).isEqualTo(1);
        assertThat(store.importCheckpoint(ImportedCheckpoint.after("shard-1", "43", null, null), null))
                .as("another import over it: refused").isFalse();
    }

    @Test
    void everyRequestHasATimeout() throws IOException {
        try (BlackHole server = new BlackHole()) {
            DynamoDbClient silent = DynamoDbClient.builder()
                    .endpointOverride(server.endpoint())
                    .region(TestDynamoDb.shared().region())
                    .credentialsProvider(TestDynamoDb.shared().credentials())
                    .build();
            DynamoDbCheckpointer worker = DynamoDbCheckpointer.builder()
                    .dynamoDbClient(silent).tableName(table).workerId("worker")
                    .requestTimeout(Duration.ofMillis(300)).retries(2).sleeper(sleeps::add).build();

            long start = System.nanoTime();
            assertThatThrownBy(() -> worker.getLease(new ShardStatus("shard-1"), "worker"))
                    .isInstanceOf(CheckpointStoreException.class)
                    .hasMessageContaining("failed after 3 attempts");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(server.connectionsAccepted()).isGreaterThanOrEqualTo(1);
            assertThat(took).isBetween(Duration.ofMillis(800), Duration.ofSeconds(10));
        }
    }

    /** Accepts connections and never answers. */
    private static final class BlackHole implements AutoCloseable {

        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> accepted = new ArrayList<>();
        private final Thread acceptor = new Thread(this::acceptForever, "black-hole");

        BlackHole() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI endpoint() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        synchronized int connectionsAccepted() {
            return accepted.size();
        }

        private void acceptForever() {
            try {
                while (true) {
                    Socket connection = socket.accept();
                    synchronized (this) {
                        accepted.add(connection);
                    }
                }
            }
            catch (IOException closed) {
                // closed by the test
            }
        }

        @Override
        public synchronized void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
