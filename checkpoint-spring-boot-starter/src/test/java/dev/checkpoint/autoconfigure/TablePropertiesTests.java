package dev.checkpoint.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Tag;

/** checkpoint.table.*: what a created table gets, and the combinations refused by name. */
class TablePropertiesTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CheckpointAutoConfiguration.class))
            .withUserConfiguration(LocalDynamoDbProperties.Credentials.class)
            .withPropertyValues(LocalDynamoDbProperties.forFreshTable());

    @Test
    void aCreatedTableCarriesTheTagsOfTheProperties() {
        contextRunner.withPropertyValues("checkpoint.table.tags.team=orders", "checkpoint.table.tags.cost-centre=42")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    String table = context.getBean(CheckpointProperties.class).getTableName();
                    try (DynamoDbClient client = TestDynamoDb.shared().newClient()) {
                        String arn = client.describeTable(describe -> describe.tableName(table)).table().tableArn();
                        assertThat(client.listTagsOfResource(list -> list.resourceArn(arn)).tags()).containsExactlyInAnyOrder(
                                Tag.builder().key("team").value("orders").build(),
                                Tag.builder().key("cost-centre").value("42").build());
                    }
                });
    }

    @Test
    void aKmsKeyGoesWithCustomerManagedEncryptionOnly() {
        contextRunner.withPropertyValues("checkpoint.table.encryption=customer-managed")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("'checkpoint.table.kms-key-id'").hasMessageContaining("must be set"));
        contextRunner.withPropertyValues("checkpoint.table.kms-key-id=alias/leases")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("'checkpoint.table.kms-key-id'").hasMessageContaining("applies only"));
    }
}
