package dev.checkpoint.coordinator;

import static dev.checkpoint.coordinator.Cluster.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.checkpoint.RenewalMode;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import dev.checkpoint.testsupport.VirtualThreadFactories;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Renewals with a client of their own ({@link DynamoDbCheckpointer.Builder#renewalClient}) never wait for a connection
 * behind checkpoints, syncs and takes: while every request of the checkpointer's client waits, as it does when every
 * connection of its pool is busy, the leases stay held in both renewal modes. Sharing that client, the same wait loses
 * them: what the renewal client is for. On platform threads and on virtual threads (Java 21 and later). Against
 * dynalite; the wait is injected into the HTTP client.
 */
class RenewalClientTests {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final int SHARDS = 6;

    @ParameterizedTest
    @EnumSource(RenewalMode.class)
    void withAClientOfTheirOwnRenewalsGoOnWhileEveryRequestOfTheCheckpointersClientWaits(RenewalMode mode) {
        renewalsGoOnWhileEveryRequestOfTheCheckpointersClientWaits(mode, false);
    }

    @ParameterizedTest
    @EnumSource(RenewalMode.class)
    @Tag("virtual-threads")
    void onVirtualThreadsWithAClientOfTheirOwnRenewalsGoOnWhileEveryRequestOfTheCheckpointersClientWaits(RenewalMode mode) {
        renewalsGoOnWhileEveryRequestOfTheCheckpointersClientWaits(mode, true);
    }

    private static void renewalsGoOnWhileEveryRequestOfTheCheckpointersClientWaits(RenewalMode mode, boolean virtual) {
        try (Run run = new Run(mode, true, virtual)) {
            run.heldClient.hold();
            await(LEASE.multipliedBy(5), () -> run.heldClient.held() > 0);
            int heldBefore = run.heldClient.held();

            Cluster.pause(LEASE.multipliedBy(3));

            assertThat(run.heldClient.held()).as("requests of the checkpointer's client held meanwhile")
                    .isGreaterThan(heldBefore);
            assertThat(run.lost).as("leases lost").hasValue(0);
            assertThat(run.coordinator.ownedShards()).hasSize(SHARDS);
        }
    }

    @ParameterizedTest
    @EnumSource(RenewalMode.class)
    void sharingTheCheckpointersClientRenewalsWaitBehindItsRequestsAndTheLeasesAreLost(RenewalMode mode) {
        try (Run run = new Run(mode, false, false)) {
            run.heldClient.hold();

            await(LEASE.multipliedBy(10), () -> run.lost.get() > 0);
        }
    }

    /** One worker holding every shard, its checkpointer's client one whose requests can be made to wait. */
    private static final class Run implements AutoCloseable {

        final HoldingHttpClient heldClient = new HoldingHttpClient(
                ServiceLoader.load(SdkHttpService.class).findFirst().orElseThrow().createHttpClientBuilder().build());
        final DynamoDbClient checkpointerClient;
        final DynamoDbClient renewalClient = TestDynamoDb.shared().newClient();
        final AtomicInteger lost = new AtomicInteger();
        final LeaseCoordinator coordinator;

        Run(RenewalMode mode, boolean ownRenewalClient, boolean virtualThreads) {
            TestDynamoDb dynamoDb = TestDynamoDb.shared();
            checkpointerClient = DynamoDbClient.builder().endpointOverride(dynamoDb.endpoint()).region(dynamoDb.region())
                    .credentialsProvider(dynamoDb.credentials()).httpClient(heldClient).build();
            DynamoDbCheckpointer.Builder checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(checkpointerClient)
                    .tableName(TestDynamoDb.uniqueTableName("renewal-client")).workerId("solo").renewalMode(mode)
                    .leaseDuration(LEASE).requestTimeout(Duration.ofMillis(500)).retries(2);
            if (ownRenewalClient) {
                checkpointer.renewalClient(renewalClient);
            }
            DynamoDbCheckpointer built = checkpointer.build();
            built.init();
            List<Shard> shards = IntStream.range(0, SHARDS).mapToObj(i -> Shard.of("shardId-" + i)).toList();
            LeaseCoordinator.Builder builder = LeaseCoordinator.builder();
            if (virtualThreads) {
                builder.virtualThreads(VirtualThreadFactories.named("renewer-"));
            }
            coordinator = builder.checkpointer(built).shardSource(() -> shards)
                    .syncInterval(Duration.ofSeconds(1)).listener(new LeaseListener() {
                        @Override
                        public void leaseGained(OwnedShard shard) {
                        }

                        @Override
                        public void leaseEnding(OwnedShard shard, EndReason reason) {
                        }

                        @Override
                        public void leaseLost(OwnedShard shard) {
                            lost.incrementAndGet();
                        }
                    }).build();
            coordinator.start();
            await(LEASE.multipliedBy(5), () -> coordinator.ownedShards().size() == SHARDS);
        }

        @Override
        public void close() {
            heldClient.letGo();
            coordinator.halt();
            checkpointerClient.close();
            renewalClient.close();
        }
    }

    /**
     * An HTTP client whose requests wait, once {@link #hold} is called, until {@link #letGo}: what a pool whose every
     * connection is busy does to the requests that come after. A waiting request gives up when the SDK's timeout
     * interrupts or aborts it, as one waiting for a connection does.
     */
    private static final class HoldingHttpClient implements SdkHttpClient {

        private final SdkHttpClient http;
        private volatile CountDownLatch gate = new CountDownLatch(0);
        private final AtomicInteger held = new AtomicInteger();

        HoldingHttpClient(SdkHttpClient http) {
            this.http = http;
        }

        void hold() {
            gate = new CountDownLatch(1);
        }

        void letGo() {
            gate.countDown();
        }

        /** Requests that have waited, or wait, since {@link #hold}. */
        int held() {
            return held.get();
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            ExecutableHttpRequest real = http.prepareRequest(request);
            CountDownLatch gateNow = gate;
            return new ExecutableHttpRequest() {
                private volatile boolean aborted;

                @Override
                public HttpExecuteResponse call() throws IOException {
                    if (gateNow.getCount() > 0) {
                        held.incrementAndGet();
                    }
                    try {
                        while (!gateNow.await(10, TimeUnit.MILLISECONDS)) {
                            if (aborted) {
                                throw new IOException("aborted while waiting");
                            }
                        }
                    }
                    catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting");
                    }
                    return real.call();
                }

                @Override
                public void abort() {
                    aborted = true;
                    real.abort();
                }
            };
        }

        @Override
        public void close() {
            letGo();
            http.close();
        }
    }
}
