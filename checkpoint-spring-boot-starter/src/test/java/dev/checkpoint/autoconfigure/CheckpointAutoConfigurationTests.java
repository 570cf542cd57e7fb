package dev.checkpoint.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.checkpoint.Checkpointer;
import dev.checkpoint.actuate.CheckpointHealthIndicator;
import dev.checkpoint.actuate.CheckpointMetrics;
import dev.checkpoint.actuate.LeasesEndpoint;
import dev.checkpoint.autoconfigure.CheckpointProperties.TableInitialization;
import dev.checkpoint.autoconfigure.actuate.CheckpointHealthContributorAutoConfiguration;
import dev.checkpoint.autoconfigure.actuate.CheckpointMetricsAutoConfiguration;
import dev.checkpoint.autoconfigure.actuate.LeasesEndpointAutoConfiguration;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class CheckpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class,
                    CheckpointHealthContributorAutoConfiguration.class, LeasesEndpointAutoConfiguration.class,
                    CheckpointMetricsAutoConfiguration.class))
            .withUserConfiguration(LocalDynamoDbProperties.Credentials.class)
            .withPropertyValues(LocalDynamoDbProperties.forFreshTable());

    @Test
    void runWithDefaultsCreatesClientAndCheckpointerAndTheTable() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(CheckpointDynamoDbClient.class).hasSingleBean(Checkpointer.class);
            // The starter's own client is no DynamoDbClient bean: it never becomes the application's client.
            assertThat(context).doesNotHaveBean(DynamoDbClient.class);
            assertThat(context.getBean(CheckpointDynamoDbClient.class).isOwn()).isTrue();
            assertThat(context.getBean(CheckpointDynamoDbClient.class).client().serviceClientConfiguration()
                    .overrideConfiguration().retryStrategy()).as("no retries of its own: checkpoint.retries governs")
                    .hasValueSatisfying(strategy -> assertThat(strategy.maxAttempts()).isEqualTo(1));
            DynamoDbCheckpointer checkpointer = context.getBean(DynamoDbCheckpointer.class);
            assertThat(checkpointer.getLeaseDuration()).isEqualTo(Duration.ofSeconds(10));
            assertThat(checkpointer.getWorkerId()).matches(".+-[0-9a-f]{6}");
            assertThat(checkpointer.leaseStore().tableStatus()).hasToString("ACTIVE");
            CheckpointProperties properties = context.getBean(CheckpointProperties.class);
            assertThat(properties.getRetries()).isEqualTo(10);
            assertThat(properties.getLeaseStealing().isEnabled()).isTrue();
            assertThat(properties.isCreateTable()).isTrue();
            assertThat(properties.getBillingMode()).isEqualTo(CheckpointProperties.BillingMode.PAY_PER_REQUEST);
            assertThat(properties.getRequestTimeout()).as("the core's default: 2 s, or half a shorter lease").isNull();
        });
    }

    @Test
    void runBindsEveryProperty() {
        contextRunner.withPropertyValues("checkpoint.table-name=orders-leases", "checkpoint.worker-id=worker-7",
                "checkpoint.lease-duration=20s", "checkpoint.retries=3", "checkpoint.request-timeout=500ms",
                "checkpoint.create-table=true", "checkpoint.table-initialization=startup",
                "checkpoint.billing-mode=provisioned", "checkpoint.read-capacity=5", "checkpoint.write-capacity=6",
                "checkpoint.lease-stealing.enabled=false", "checkpoint.lease-stealing.claim-timeout=45s")
                .run(context -> {
                    CheckpointProperties properties = context.getBean(CheckpointProperties.class);
                    assertThat(properties.getTableName()).isEqualTo("orders-leases");
                    assertThat(properties.getWorkerId()).isEqualTo("worker-7");
                    assertThat(properties.getLeaseDuration()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(properties.getRetries()).isEqualTo(3);
                    assertThat(properties.getRequestTimeout()).isEqualTo(Duration.ofMillis(500));
                    assertThat(properties.getTableInitialization()).isEqualTo(TableInitialization.STARTUP);
                    assertThat(properties.getBillingMode()).isEqualTo(CheckpointProperties.BillingMode.PROVISIONED);
                    assertThat(properties.getReadCapacity()).isEqualTo(5);
                    assertThat(properties.getWriteCapacity()).isEqualTo(6);
                    assertThat(properties.getLeaseStealing().isEnabled()).isFalse();
                    assertThat(properties.getLeaseStealing().getClaimTimeout()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(properties.getDynamodb().getEndpoint()).isEqualTo(TestDynamoDb.shared().endpoint());

                    DynamoDbCheckpointer checkpointer = context.getBean(DynamoDbCheckpointer.class);
                    assertThat(checkpointer.getTableName()).isEqualTo("orders-leases");
                    assertThat(checkpointer.getWorkerId()).isEqualTo("worker-7");
                    assertThat(checkpointer.getLeaseDuration()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(context.getBean(CheckpointDynamoDbClient.class).client().describeTable(d -> d.tableName("orders-leases"))
                            .table().provisionedThroughput().readCapacityUnits()).isEqualTo(5);
                });
    }

    @Test
    void runWithoutTableNameUsesTheApplicationName() {
        contextRunner.withPropertyValues("checkpoint.table-name=", "spring.application.name=billing-consumer")
                .run(context -> assertThat(context.getBean(DynamoDbCheckpointer.class).getTableName())
                        .isEqualTo("billing-consumer"));
    }

    @Test
    void runWithNeitherTableNameNorApplicationNameFails() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class))
                .withUserConfiguration(LocalDynamoDbProperties.Credentials.class)
                .withPropertyValues("checkpoint.dynamodb.endpoint=" + TestDynamoDb.shared().endpoint(),
                        "checkpoint.dynamodb.region=us-east-1")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .isInstanceOf(InvalidCheckpointPropertyException.class)
                        .hasMessageContaining("checkpoint.table-name"));
    }

    @Test
    void runWhenUserDefinesCheckpointerShouldBackOff() {
        contextRunner.withUserConfiguration(UserCheckpointer.class).run(context -> {
            assertThat(context).hasSingleBean(Checkpointer.class).doesNotHaveBean(DynamoDbCheckpointer.class);
            assertThat(context.getBean(Checkpointer.class)).isSameAs(context.getBean("userCheckpointer"));
            assertThat(context).doesNotHaveBean(CheckpointHealthIndicator.class).doesNotHaveBean(LeasesEndpoint.class);
        });
    }

    @Test
    void runWhenUserDefinesDynamoDbClientShouldUseItAndBuildNoOther() {
        DynamoDbClient userClient = TestDynamoDb.shared().newClient();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class))
                .withPropertyValues("checkpoint.table-name=" + TestDynamoDb.uniqueTableName("user-client"))
                .withBean("userClient", DynamoDbClient.class, () -> userClient).run(context -> {
                    assertThat(context).hasSingleBean(DynamoDbClient.class);
                    assertThat(context.getBean(CheckpointDynamoDbClient.class).client()).isSameAs(userClient);
                    assertThat(context.getBean(CheckpointDynamoDbClient.class).isOwn()).isFalse();
                    assertThat(context.getBean(DynamoDbCheckpointer.class).leaseStore().tableStatus()).hasToString("ACTIVE");
                });
    }

    @Test
    void runWhenUserDefinesDynamoDbClientAndCheckpointDynamoDbPropertiesFailsNamingTheProperty() {
        contextRunner.withBean("userClient", DynamoDbClient.class, () -> TestDynamoDb.shared().newClient()).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidCheckpointPropertyException.class)
                    .hasMessageContaining("checkpoint.dynamodb.endpoint").hasMessageContaining("would be ignored");
        });
    }

    @Test
    void runWithSeveralDynamoDbClientsAndNonePrimaryFailsSayingWhatToDo() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class))
                .withPropertyValues("checkpoint.table-name=leases")
                .withBean("one", DynamoDbClient.class, () -> TestDynamoDb.shared().newClient())
                .withBean("two", DynamoDbClient.class, () -> TestDynamoDb.shared().newClient()).run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("several DynamoDbClient beans");
                });
    }

    @Test
    void runOwnClientIsClosedWithTheContext() {
        java.util.concurrent.atomic.AtomicReference<CheckpointDynamoDbClient> client = new java.util.concurrent.atomic.AtomicReference<>();
        contextRunner.run(context -> client.set(context.getBean(CheckpointDynamoDbClient.class)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.get().client().listTables())
                .hasMessageContaining("shut down");
    }

    /**
     * Without an application DynamoDbClient and without checkpoint.dynamodb.region or credentials, the own client takes
     * Spring Cloud AWS's region and credentials beans (AWS SDK types, which Spring Cloud AWS registers).
     */
    @Test
    void runOwnClientTakesSpringCloudAwsRegionAndCredentialsBeans() {
        TestDynamoDb server = TestDynamoDb.shared();
        AwsCredentialsProvider credentials = server.credentials();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class))
                .withBean(AwsRegionProvider.class, () -> server::region)
                .withBean(AwsCredentialsProvider.class, () -> credentials)
                .withPropertyValues("checkpoint.dynamodb.endpoint=" + server.endpoint(),
                        "checkpoint.table-name=leases-" + java.util.UUID.randomUUID().toString().substring(0, 8))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CheckpointDynamoDbClient clients = context.getBean(CheckpointDynamoDbClient.class);
                    for (DynamoDbClient own : List.of(clients.client(), clients.renewalClient())) {
                        assertThat(own.serviceClientConfiguration().region()).isEqualTo(server.region());
                        assertThat(own.serviceClientConfiguration().credentialsProvider()).isSameAs(credentials);
                    }
                });
    }

    @Test
    void runAppliesClientCustomizersInOrder() {
        contextRunner.withUserConfiguration(OrderedCustomizers.class).run(context -> {
            assertThat(context).hasNotFailed();
            // on each of the starter's own clients: checkpoints', then renewals'
            assertThat(context.getBean(OrderedCustomizers.class).calls).containsExactly("first", "second", "first", "second");
        });
    }

    @Test
    void runWithDeferredInitialisationStartsWithoutDynamoDb() {
        contextRunner.withPropertyValues("checkpoint.dynamodb.endpoint=http://127.0.0.1:9", "checkpoint.retries=0",
                "checkpoint.table-initialization=deferred").run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(LeaseTableInitializer.class);
                    assertThat(context.getBean(LeaseTableInitializer.class).isInitialized()).isFalse();
                });
    }

    @Test
    void runWithDeferredInitialisationCreatesTheTableInTheBackground() {
        contextRunner.withPropertyValues("checkpoint.table-initialization=deferred").run(context -> {
            LeaseTableInitializer initializer = context.getBean(LeaseTableInitializer.class);
            initializer.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(initializer::isInitialized);
            assertThat(context.getBean(DynamoDbCheckpointer.class).leaseStore().tableStatus()).hasToString("ACTIVE");
        });
    }

    @Test
    void runAtStartupInitialisesTheTableInTheInitializerBeforeStartUpEnds() {
        contextRunner.run(context -> {
            assertThat(context.getBean(LeaseTableInitializer.class).isInitialized()).isTrue();
            assertThat(context.getBean(LeaseTableInitializer.class).getMode()).isEqualTo(TableInitialization.STARTUP);
        });
    }

    @Test
    void runAddsHealthIndicatorMetricsAndExposedEndpoint() {
        contextRunner.withPropertyValues("management.endpoints.web.exposure.include=leases").run(context -> {
            assertThat(context).hasSingleBean(CheckpointHealthIndicator.class)
                    .hasSingleBean(CheckpointMetrics.class)
                    .hasSingleBean(LeasesEndpoint.class);
        });
    }

    @Test
    void runWithoutEndpointExposureHasNoEndpoint() {
        contextRunner.run(context -> assertThat(context).doesNotHaveBean(LeasesEndpoint.class));
    }

    @Test
    void runWithHealthIndicatorDisabledByPropertyHasNone() {
        contextRunner.withPropertyValues("management.health.checkpoint.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CheckpointHealthIndicator.class)
                        .hasSingleBean(DynamoDbCheckpointer.class));
    }

    @Test
    void runWithoutActuatorHasNoHealthIndicatorOrEndpoint() {
        contextRunner.withClassLoader(new FilteredClassLoader(HealthIndicator.class, Endpoint.class))
                .withPropertyValues("management.endpoints.web.exposure.include=leases")
                .run(context -> assertThat(context).hasNotFailed()
                        .hasSingleBean(DynamoDbCheckpointer.class)
                        .doesNotHaveBean(CheckpointHealthIndicator.class)
                        .doesNotHaveBean(LeasesEndpoint.class));
    }

    @Test
    void runWithoutMicrometerHasNoMetrics() {
        contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .hasSingleBean(DynamoDbCheckpointer.class)
                        .doesNotHaveBean(CheckpointMetrics.class));
    }

    @Test
    void runWithoutTheAwsSdkConfiguresNothing() {
        contextRunner.withClassLoader(new FilteredClassLoader(DynamoDbClient.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Checkpointer.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserCheckpointer {

        @Bean
        Checkpointer userCheckpointer() {
            return Mockito.mock(Checkpointer.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderedCustomizers {

        final List<String> calls = new ArrayList<>();

        @Bean
        @Order(2)
        CheckpointDynamoDbClientCustomizer second() {
            return builder -> calls.add("second");
        }

        @Bean
        @Order(1)
        CheckpointDynamoDbClientCustomizer first() {
            return builder -> {
                calls.add("first");
                builder.endpointOverride(URI.create(TestDynamoDb.shared().endpoint().toString()));
            };
        }
    }

}
