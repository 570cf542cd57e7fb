package dev.checkpoint.springcloudaws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import dev.checkpoint.autoconfigure.CheckpointAutoConfiguration;
import dev.checkpoint.autoconfigure.CheckpointDynamoDbClient;
import dev.checkpoint.autoconfigure.InvalidCheckpointPropertyException;
import dev.checkpoint.dynamodb.DynamoDbCheckpointer;
import dev.checkpoint.testsupport.TestDynamoDb;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbAutoConfiguration;
import io.awspring.cloud.autoconfigure.dynamodb.DynamoDbClientCustomizer;
import io.awspring.cloud.dynamodb.DynamoDbTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Spring Cloud AWS's real auto-configuration beside ours, in either order: the checkpointer uses Spring Cloud AWS's
 * client, with its region, endpoint, credentials and customizers, and Spring Cloud AWS keeps its client.
 */
class SpringCloudAwsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class, AwsAutoConfiguration.class,
                    RegionProviderAutoConfiguration.class, CredentialsProviderAutoConfiguration.class,
                    DynamoDbAutoConfiguration.class))
            .withPropertyValues(SpringCloudAwsProperties.pointingAtTheTestServer())
            .withPropertyValues("checkpoint.table-name=" + TestDynamoDb.uniqueTableName("sca"));

    @Test
    void onlyTheTableNameIsNeeded() {
        contextRunner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(DynamoDbClient.class).hasSingleBean(DynamoDbTemplate.class);
            DynamoDbClient springCloudAwsClient = context.getBean(DynamoDbClient.class);
            assertThat(context.getBean(CheckpointDynamoDbClient.class).client()).isSameAs(springCloudAwsClient);
            assertThat(context.getBean(CheckpointDynamoDbClient.class).isOwn()).isFalse();
            // The table was created at start-up through Spring Cloud AWS's endpoint, region and credentials.
            assertThat(context.getBean(DynamoDbCheckpointer.class).leaseStore().tableStatus()).hasToString("ACTIVE");
        });
    }

    @Test
    void springCloudAwsCustomizersApplyToTheCheckpointersRequests() {
        AtomicInteger requests = new AtomicInteger();
        DynamoDbClientCustomizer counting = builder -> builder.overrideConfiguration(override -> override
                .addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeTransmission(Context.BeforeTransmission request, ExecutionAttributes attributes) {
                        requests.incrementAndGet();
                    }
                }));
        contextRunner.withBean(DynamoDbClientCustomizer.class, () -> counting).run(context -> {
            assertThat(context).hasNotFailed();
            int atStartUp = requests.get();
            assertThat(atStartUp).as("table check and creation at start-up").isPositive();
            context.getBean(DynamoDbCheckpointer.class).listLeases();
            assertThat(requests.get()).isEqualTo(atStartUp + 1);
        });
    }

    @Test
    void checkpointDynamoDbPropertiesBesideSpringCloudAwsStopStartUpNamingTheProperty() {
        contextRunner.withPropertyValues("checkpoint.dynamodb.region=eu-west-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidCheckpointPropertyException.class)
                    .hasMessageContaining("checkpoint.dynamodb.region");
            InvalidCheckpointPropertyException failure = (InvalidCheckpointPropertyException) rootCause(context.getStartupFailure());
            assertThat(failure.getAction()).contains("spring.cloud.aws.region.static");
        });
    }

    @Test
    void springCloudAwsSwitchedOffLeavesCheckpointDynamoDbToConfigureTheClient() {
        contextRunner.withPropertyValues("spring.cloud.aws.dynamodb.enabled=false",
                "checkpoint.dynamodb.endpoint=" + TestDynamoDb.shared().endpoint(),
                "checkpoint.dynamodb.region=" + TestDynamoDb.shared().region().id(),
                "checkpoint.dynamodb.access-key-id=local", "checkpoint.dynamodb.secret-access-key=local").run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(DynamoDbClient.class);
                    assertThat(context.getBean(CheckpointDynamoDbClient.class).isOwn()).isTrue();
                    assertThat(context.getBean(DynamoDbCheckpointer.class).leaseStore().tableStatus()).hasToString("ACTIVE");
                });
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
