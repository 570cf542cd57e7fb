package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.checkpoint.InvalidSettingException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TagResourceRequest;
import software.amazon.awssdk.services.dynamodb.model.TagResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateContinuousBackupsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateContinuousBackupsResponse;

/**
 * What a created lease table gets besides its key. Tags against dynalite, which serves them; encryption, deletion
 * protection and point-in-time recovery, which dynalite does not serve, by the requests sent.
 */
class TableOptionsTests {

    private final DynamoDbClient client = Tables.client();

    @Test
    void aCreatedTableCarriesItsTags() {
        String table = Tables.newTableName();

        Tables.initialised(Tables.checkpointer(client, table, "worker", new ManualMonotonicClock())
                .tableOptions(TableOptions.builder().tag("team", "orders").tag("cost-centre", "42").build()));

        String arn = client.describeTable(describe -> describe.tableName(table)).table().tableArn();
        assertThat(client.listTagsOfResource(list -> list.resourceArn(arn)).tags())
                .containsExactlyInAnyOrder(tag("team", "orders"), tag("cost-centre", "42"));
    }

    @Test
    void aTableThatExistsIsLeftAsItsOwnerMadeIt() {
        String table = Tables.newTableName();
        client.createTable(create -> create.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key -> key.attributeName("ShardID").keyType(KeyType.HASH))
                .attributeDefinitions(attribute -> attribute.attributeName("ShardID").attributeType(ScalarAttributeType.S)));

        Tables.initialised(Tables.checkpointer(client, table, "worker", new ManualMonotonicClock())
                .tableOptions(TableOptions.builder().tag("team", "orders").build()));

        String arn = client.describeTable(describe -> describe.tableName(table)).table().tableArn();
        assertThat(client.listTagsOfResource(list -> list.resourceArn(arn)).tags()).isEmpty();
    }

    @Test
    void encryptionDeletionProtectionAndBackupsAreAskedForWhenTheTableIsCreated() {
        RecordingClient recording = new RecordingClient();
        DynamoDbCheckpointer checkpointer = DynamoDbCheckpointer.builder().dynamoDbClient(recording).tableName("leases")
                .workerId("worker").sleeper(duration -> { })
                .tableOptions(TableOptions.builder().deletionProtection(true)
                        .encryption(TableEncryption.customerManaged("alias/leases")).pointInTimeRecovery(true)
                        .tag("team", "orders").build())
                .build();

        checkpointer.init();

        CreateTableRequest create = recording.created.get(0);
        assertThat(create.deletionProtectionEnabled()).isTrue();
        assertThat(create.sseSpecification().enabled()).isTrue();
        assertThat(create.sseSpecification().sseType()).isEqualTo(SSEType.KMS);
        assertThat(create.sseSpecification().kmsMasterKeyId()).isEqualTo("alias/leases");
        assertThat(recording.tagged).singleElement().satisfies(tag -> {
            assertThat(tag.resourceArn()).isEqualTo("arn:aws:dynamodb:eu-west-1:123456789012:table/leases");
            assertThat(tag.tags()).containsExactly(tag("team", "orders"));
        });
        assertThat(recording.backups).singleElement().satisfies(backups -> assertThat(
                backups.pointInTimeRecoverySpecification().pointInTimeRecoveryEnabled()).isTrue());
    }

    @Test
    void theDefaultsAskForNothingMore() {
        RecordingClient recording = new RecordingClient();

        DynamoDbCheckpointer.builder().dynamoDbClient(recording).tableName("leases").workerId("worker")
                .sleeper(duration -> { }).build().init();

        CreateTableRequest create = recording.created.get(0);
        assertThat(create.deletionProtectionEnabled()).isNull();
        assertThat(create.sseSpecification()).isNull();
        assertThat(recording.tagged).isEmpty();
        assertThat(recording.backups).isEmpty();
        assertThat(TableEncryption.awsManaged().specification().kmsMasterKeyId()).isNull();
    }

    @Test
    void tagsDynamoDbWouldRefuseAreRefusedByTheBuilder() {
        assertThatThrownBy(() -> TableOptions.builder().tag("", "x").build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("tags must be a key of 1 to 128 characters");
        assertThatThrownBy(() -> TableOptions.builder().tags(Map.of("k", "v".repeat(257))).build())
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("a value of up to 256 characters");
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    /**
     * A DynamoDB that records the table requests it is sent: the table is missing at first and ACTIVE once created.
     * Every other operation is the SDK interface's default, which refuses.
     */
    private static final class RecordingClient implements DynamoDbClient {

        final List<CreateTableRequest> created = new ArrayList<>();
        final List<TagResourceRequest> tagged = new ArrayList<>();
        final List<UpdateContinuousBackupsRequest> backups = new ArrayList<>();

        @Override
        public DescribeTableResponse describeTable(DescribeTableRequest request) {
            if (created.isEmpty()) {
                throw ResourceNotFoundException.builder().message("no such table").build();
            }
            return DescribeTableResponse.builder().table(TableDescription.builder().tableName(request.tableName())
                    .tableArn("arn:aws:dynamodb:eu-west-1:123456789012:table/" + request.tableName())
                    .tableStatus(TableStatus.ACTIVE)
                    .keySchema(KeySchemaElement.builder().attributeName("ShardID").keyType(KeyType.HASH).build())
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("ShardID")
                            .attributeType(ScalarAttributeType.S).build())
                    .build()).build();
        }

        @Override
        public CreateTableResponse createTable(CreateTableRequest request) {
            created.add(request);
            return CreateTableResponse.builder().build();
        }

        @Override
        public TagResourceResponse tagResource(TagResourceRequest request) {
            tagged.add(request);
            return TagResourceResponse.builder().build();
        }

        @Override
        public UpdateContinuousBackupsResponse updateContinuousBackups(UpdateContinuousBackupsRequest request) {
            backups.add(request);
            return UpdateContinuousBackupsResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
