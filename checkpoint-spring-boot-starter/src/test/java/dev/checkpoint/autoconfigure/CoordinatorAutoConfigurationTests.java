package dev.checkpoint.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.checkpoint.Lease;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.RenewalMode;
import dev.checkpoint.actuate.CheckpointHealthIndicator;
import dev.checkpoint.actuate.CoordinatorDescriptor;
import dev.checkpoint.actuate.LeasesEndpoint;
import dev.checkpoint.autoconfigure.actuate.CheckpointHealthContributorAutoConfiguration;
import dev.checkpoint.autoconfigure.actuate.LeasesEndpointAutoConfiguration;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.coordinator.LeaseListener;
import dev.checkpoint.coordinator.OwnedShard;
import dev.checkpoint.coordinator.RenewalThreads;
import dev.checkpoint.coordinator.Shard;
import dev.checkpoint.coordinator.ShardSource;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class CoordinatorAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class,
                    CheckpointHealthContributorAutoConfiguration.class, LeasesEndpointAutoConfiguration.class))
            .withUserConfiguration(LocalDynamoDbProperties.Credentials.class)
            .withPropertyValues(LocalDynamoDbProperties.forFreshTable())
            .withPropertyValues("checkpoint.lease-duration=2s", "checkpoint.request-timeout=500ms", "checkpoint.coordinator.sync-interval=500ms",
                    "management.endpoints.web.exposure.include=leases");

    @Test
    void runWithoutShardSourceHasNoCoordinator() {
        contextRunner.run(context -> assertThat(context).hasSingleBean(DynamoDbCheckpointer.class)
                .doesNotHaveBean(LeaseCoordinator.class).doesNotHaveBean(LeaseCoordinatorLifecycle.class));
    }

    @Test
    void runWithShardSourceRunsTheCoordinatorWithTheContextAndReleasesOnClose() {
        Recorder recorder = new Recorder();
        String[] table = new String[1];
        contextRunner.withUserConfiguration(Stream.class).withBean(Recorder.class, () -> recorder)
                .withPropertyValues("checkpoint.coordinator.renew-interval=500ms",
                        "checkpoint.coordinator.max-leases-for-worker=3",
                        "checkpoint.coordinator.max-leases-to-steal-at-one-time=2",
                        "checkpoint.coordinator.shutdown-grace=3s",
                        "checkpoint.coordinator.max-renewal-threads=4")
                .run(context -> {
                    assertThat(context).hasSingleBean(LeaseCoordinator.class).hasSingleBean(LeaseCoordinatorLifecycle.class);
                    LeaseCoordinator coordinator = context.getBean(LeaseCoordinator.class);
                    awaitTrue(() -> coordinator.ownedShards().size() == 3 && recorder.gained.size() == 3);
                    Thread.sleep(1200);
                    assertThat(coordinator.ownedShards()).as("max-leases-for-worker").hasSize(3);

                    LeasesEndpoint.LeasesDescriptor leases = context.getBean(LeasesEndpoint.class).leases(null, null);
                    CoordinatorDescriptor view = leases.coordinator();
                    assertThat(view.running()).isTrue();
                    assertThat(view.ownedShards()).hasSize(3);
                    assertThat(view.failedSyncs()).isZero();
                    assertThat(view.renewalThreads()).as("max-renewal-threads").isEqualTo(
                            new RenewalThreads("platform", 4, 4, view.renewalThreads().running(), 0,
                                    view.renewalThreads().waitedForAThread(), view.renewalThreads().startedLate()));
                    Health health = context.getBean(CheckpointHealthIndicator.class).health(true);
                    assertThat(health.getDetails()).containsKey("coordinator");
                    table[0] = leases.table();
                });

        assertThat(recorder.ended).as("leases ended through the listener on close").hasSize(3);
        DynamoDbCheckpointer reader = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient())
                .tableName(table[0]).workerId("reader").build();
        Set<String> stillOwned = reader.listLeases().stream().filter(Lease::isOwned).map(Lease::shardId)
                .collect(Collectors.toSet());
        assertThat(stillOwned).as("released on close").isEmpty();
    }

    /** On Java 17 the property cannot be honoured: renewals stay on the platform pool. */
    @Test
    void withVirtualThreadsAskedForRenewalsRunOnVirtualThreadsFromJava21AndOnThePlatformPoolBefore() {
        renewalsFollowTheApplicationsThreads();
    }

    @Test
    @Tag("virtual-threads")
    void withVirtualThreadsAskedForOnJava25RenewalsRunOnVirtualThreads() {
        assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(21);
        renewalsFollowTheApplicationsThreads();
    }

    private void renewalsFollowTheApplicationsThreads() {
        boolean virtual = Runtime.version().feature() >= 21;
        Recorder recorder = new Recorder();
        contextRunner.withUserConfiguration(Stream.class).withBean(Recorder.class, () -> recorder)
                .withPropertyValues("spring.threads.virtual.enabled=true").run(context -> {
                    LeaseCoordinator coordinator = context.getBean(LeaseCoordinator.class);
                    awaitTrue(() -> coordinator.ownedShards().size() == 4 && recorder.gained.size() == 4);
                    if (virtual) {
                        assertThat(context).hasSingleBean(CheckpointVirtualThreads.class);
                        assertThat(coordinator.renewalThreads().model()).isEqualTo("virtual");
                    }
                    else {
                        assertThat(context).doesNotHaveBean(CheckpointVirtualThreads.class);
                        assertThat(coordinator.renewalThreads().model()).isEqualTo("platform");
                    }
                });
    }

    @Test
    void withoutVirtualThreadsAskedForThereIsNoVirtualThreadsBean() {
        contextRunner.withUserConfiguration(Stream.class).withBean(Recorder.class, Recorder::new)
                .run(context -> assertThat(context).doesNotHaveBean(CheckpointVirtualThreads.class));
    }

    @Test
    void runWithShardSourceButNoLeaseListenerFailsSayingWhatToAdd() {
        contextRunner.withUserConfiguration(Stream.class).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).rootCause().isInstanceOf(LeaseListenerMissingException.class);
            org.springframework.boot.diagnostics.FailureAnalysis analysis = new LeaseListenerMissingFailureAnalyzer()
                    .analyze(failure);
            assertThat(analysis.getDescription()).contains("ShardSource").contains("no LeaseListener");
            assertThat(analysis.getAction()).contains("Define a bean of type dev.checkpoint.coordinator.LeaseListener");
        });
    }

    @Test
    void handOffThroughTheEndpointEndsTheLeaseInTheListenerAndIsNotUndone() {
        Recorder recorder = new Recorder();
        contextRunner.withUserConfiguration(Stream.class).withBean(Recorder.class, () -> recorder)
                // A released shard is left alone for a sync interval, then the next sync may take it again: a long
                // one here, so that "not held" below does not race the sync on a busy machine (450 ms against 500 did).
                .withPropertyValues("checkpoint.coordinator.renew-interval=200ms",
                        "checkpoint.coordinator.sync-interval=3s").run(context -> {
                    LeaseCoordinator coordinator = context.getBean(LeaseCoordinator.class);
                    awaitTrue(() -> coordinator.ownedShards().size() == 4 && recorder.gained.size() == 4);
                    LeasesEndpoint endpoint = context.getBean(LeasesEndpoint.class);

                    LeasesEndpoint.ReleaseDescriptor released = endpoint.release("shard-1");

                    assertThat(released.released()).isTrue();
                    assertThat(recorder.ended).containsExactly("shard-1");
                    Lease row = context.getBean(DynamoDbCheckpointer.class).leaseStore().find("shard-1");
                    assertThat(row.isOwned()).isFalse();
                    assertThat(row.checkpoint()).isEqualTo("2");
                    Thread.sleep(450);   // two renewal rounds: a renewal never takes the released lease back
                    assertThat(coordinator.ownedShards()).doesNotContain("shard-1");
                    assertThat(endpoint.release("shard-1").outcome()).isEqualTo(LeasesEndpoint.ReleaseDescriptor.NOT_HELD);
                    assertThat(endpoint.release("shard-9").outcome()).isEqualTo(LeasesEndpoint.ReleaseDescriptor.NO_SUCH_SHARD);
                });
    }

    @Test
    void aConsumerGroupSharesTheTableAndTheEndpointShowsItsGroupOrEveryGroup() {
        String table = "shared-" + UUID.randomUUID().toString().substring(0, 8);
        DynamoDbCheckpointer audit = DynamoDbCheckpointer.builder().dynamoDbClient(TestDynamoDb.shared().newClient())
                .tableName(table).workerId("audit-1").consumerGroup("audit").build();
        audit.init();
        audit.leaseStore().take("shard-1", null);   // the same shard id, in another group
        contextRunner.withUserConfiguration(Stream.class).withBean(Recorder.class, Recorder::new)
                .withPropertyValues("checkpoint.table-name=" + table, "checkpoint.consumer-group=orders").run(context -> {
                    LeaseCoordinator coordinator = context.getBean(LeaseCoordinator.class);
                    awaitTrue(() -> coordinator.ownedShards().size() == 4);
                    LeasesEndpoint endpoint = context.getBean(LeasesEndpoint.class);

                    LeasesEndpoint.LeasesDescriptor own = endpoint.leases(null, null);
                    assertThat(own.consumerGroup()).isEqualTo("orders");
                    assertThat(own.leases()).hasSize(4).allSatisfy(lease -> {
                        assertThat(lease.group()).isEqualTo("orders");
                        assertThat(lease.heldByThisWorker()).isTrue();
                    });
                    LeasesEndpoint.LeasesDescriptor every = endpoint.leases(null, "all");
                    assertThat(every.leases()).hasSize(5).filteredOn(lease -> "audit".equals(lease.group()))
                            .singleElement().satisfies(lease -> {
                                assertThat(lease.owner()).isEqualTo("audit-1");
                                assertThat(lease.heldByThisWorker()).isFalse();
                            });
                });
        assertThat(audit.leaseStore().find("shard-1").owner()).as("never taken by the other group").isEqualTo("audit-1");
    }

    @Test
    void workerRenewalModeKeepsTheLeasesAliveWithOneHeartbeatRow() {
        String table = "worker-mode-" + UUID.randomUUID().toString().substring(0, 8);
        contextRunner.withUserConfiguration(Stream.class).withBean(Recorder.class, Recorder::new)
                .withPropertyValues("checkpoint.table-name=" + table, "checkpoint.renewal-mode=worker",
                        "checkpoint.worker-id=pod-0", "checkpoint.lease-duration=2s").run(context -> {
                    LeaseCoordinator coordinator = context.getBean(LeaseCoordinator.class);
                    assertThat(context.getBean(LeaseStore.class).renewalMode()).isEqualTo(RenewalMode.WORKER);
                    awaitTrue(() -> coordinator.ownedShards().size() == 4);
                    Map<String, AttributeValue> heartbeat = TestDynamoDb.shared().newClient().getItem(get -> get
                            .tableName(table).consistentRead(true)
                            .key(Map.of("ShardID", AttributeValue.fromS("#worker#pod-0")))).item();
                    assertThat(heartbeat).containsKeys("WorkerEpoch", "HeartbeatCounter");
                    LeasesEndpoint.LeasesDescriptor leases = context.getBean(LeasesEndpoint.class).leases(null, null);
                    assertThat(leases.leases()).hasSize(4).allSatisfy(lease -> assertThat(lease.heldByThisWorker()).isTrue());
                });
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    static final class Recorder implements LeaseListener {

        final Set<String> gained = ConcurrentHashMap.newKeySet();
        final Set<String> ended = ConcurrentHashMap.newKeySet();

        @Override
        public void leaseGained(OwnedShard shard) {
            gained.add(shard.shardId());
            shard.checkpoint("1");
        }

        @Override
        public void leaseEnding(OwnedShard shard, EndReason reason) {
            shard.checkpoint("2");
            ended.add(shard.shardId());
        }

        @Override
        public void leaseLost(OwnedShard shard) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Stream {

        @Bean
        ShardSource shardSource() {
            return () -> List.of(Shard.of("shard-1"), Shard.of("shard-2"), Shard.of("shard-3"), Shard.of("shard-4"));
        }
    }
}
