package dev.checkpoint.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.LeaseStore;
import dev.checkpoint.kinesis.migration.CheckpointImport;
import dev.checkpoint.kinesis.migration.CheckpointSource;
import dev.checkpoint.kinesis.migration.KclLeaseTable;
import dev.checkpoint.kinesis.migration.MigrationCommandAccess;
import dev.checkpoint.kinesis.migration.MigrationOptions;
import dev.checkpoint.kinesis.migration.MigrationRefusedException;
import dev.checkpoint.kinesis.migration.MigrationReport;
import dev.checkpoint.kinesis.migration.MigrationReport.Action;
import dev.checkpoint.kinesis.migration.SpringCloudAwsCheckpoints;
import dev.checkpoint.kinesis.migration.StreamShards;
import dev.checkpoint.testsupport.TestDynamoDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * What an import reads, and refuses, from tables laid out as the KCL's and Spring Cloud AWS's are (the rows written
 * here as those libraries write them; {@link KclMigrationTests} runs the real KCL): each refusal names the row and
 * writes nothing.
 */
class MigrationInputTests {

    private final DynamoDbClient dynamoDb = TestDynamoDb.shared().newClient();
    private final Workers workers = new Workers(2);
    private final StreamShards shards = StreamShards.list(workers.kinesis.client(), workers.stream);
    private final LeaseStore ours = KclMigrationTests.store(workers.table);
    private final String source = TestDynamoDb.uniqueTableName("source");

    @AfterEach
    void close() {
        workers.close();
        dynamoDb.close();
    }

    @Test
    void aTableOfNeitherLayoutIsRefusedNamingTheRow() {
        table("id");
        put(Map.of("id", s("order-1"), "checkpoint", s("12")));

        assertRefused(new KclLeaseTable(dynamoDb, source, workers.stream), "is not a KCL lease table");
    }

    @Test
    void anUnknownSentinelIsRefusedNamingTheRow() {
        table("leaseKey");
        putKcl("shardId-000000000000", "49590338271490256608559692538361571095921575989136588898");
        putKcl("shardId-000000000001", "SOMETIME");

        assertRefused(new KclLeaseTable(dynamoDb, source, workers.stream), "row shardId-000000000001",
                "checkpoint 'SOMETIME'");
    }

    @Test
    void aLeaseRowWithoutItsCounterIsRefusedNamingTheRow() {
        table("leaseKey");
        putKcl("shardId-000000000000", "TRIM_HORIZON");
        put(Map.of("leaseKey", s("shardId-000000000001"), "checkpoint", s("TRIM_HORIZON")));

        assertRefused(new KclLeaseTable(dynamoDb, source, workers.stream), "row shardId-000000000001", "no leaseCounter");
    }

    @Test
    void rowsOfAnotherStreamAreRefusedNamingThem() {
        table("leaseKey");
        putKcl("shardId-000000000000", "TRIM_HORIZON");
        putKcl("shardId-000000000007", "TRIM_HORIZON");

        assertRefused(new KclLeaseTable(dynamoDb, source, workers.stream), "shardId-000000000007",
                "stream " + workers.stream + " does not have");
    }

    @Test
    void aMultiStreamTableGivesTheNamedStreamsRowsAndSentinelsCarryOver() throws InterruptedException {
        table("leaseKey");
        putKcl("123456789012:" + workers.stream + ":1700000000:shardId-000000000000", CheckpointConstants.SHARD_END);
        putKcl("123456789012:" + workers.stream + ":1700000000:shardId-000000000001", "LATEST");
        putKcl("123456789012:other-stream:1700000000:shardId-000000000005", "TRIM_HORIZON");

        MigrationReport report = importing(new KclLeaseTable(dynamoDb, source, workers.stream)).build().run();

        assertThat(report.count(Action.WRITTEN)).as(report.toText()).isEqualTo(2);
        assertThat(ours.find("shardId-000000000000").isFinished()).isTrue();
        assertThat(ours.find("shardId-000000000001").startingPosition()).hasToString("LATEST");
        assertThat(ours.find("shardId-000000000005")).isNull();
    }

    @Test
    void aDryRunWritesNothingAndProgressOfOurOwnIsKept() throws InterruptedException {
        table("leaseKey");
        putKcl("shardId-000000000000", "49590338271490256608559692538361571095921575989136588898");
        putKcl("shardId-000000000001", "49590338271490256608559692538361571095921575989136588899");

        MigrationReport dryRun = importing(new KclLeaseTable(dynamoDb, source, workers.stream)).options(MigrationOptions.defaults().withObserveFor(Duration.ZERO).withDryRun(true)).build().run();
        assertThat(dryRun.count(Action.WOULD_WRITE)).isEqualTo(2);
        assertThat(ours.scan()).isEmpty();

        ours.take("shardId-000000000000", null);
        MigrationReport report = importing(new KclLeaseTable(dynamoDb, source, workers.stream)).build().run();

        assertThat(report.shards()).extracting(MigrationReport.ShardOutcome::action)
                .containsExactly(Action.KEPT_TARGET_PROGRESS, Action.WRITTEN);
        assertThat(ours.find("shardId-000000000000").checkpoint()).isNull();
        assertThat(ours.find("shardId-000000000001").checkpoint())
                .isEqualTo("49590338271490256608559692538361571095921575989136588899");
    }

    @Test
    void springCloudAwsMetadataStoreRowsOfTheGroupAndStream() throws InterruptedException {
        table("metadataKey");
        put(Map.of("metadataKey", s("orders:" + workers.stream + ":shardId-000000000000"),
                "metadataValue", s("49590338271490256608559692538361571095921575989136588898")));
        put(Map.of("metadataKey", s("billing:" + workers.stream + ":shardId-000000000000"), "metadataValue", s("1")));

        assertRefused(new SpringCloudAwsCheckpoints(dynamoDb, source, null, "shipping", workers.stream),
                "no checkpoint of group shipping");

        MigrationReport report = importing(new SpringCloudAwsCheckpoints(dynamoDb, source, null, "orders",
                workers.stream)).build().run();

        assertThat(report.count(Action.WRITTEN)).as(report.toText()).isEqualTo(1);
        assertThat(ours.find("shardId-000000000000").checkpoint())
                .isEqualTo("49590338271490256608559692538361571095921575989136588898");
    }

    @Test
    void theCommandLineImportsAndSaysWhyItRefuses() throws Exception {
        table("leaseKey");
        putKcl("shardId-000000000000", "49590338271490256608559692538361571095921575989136588898");
        String[] common = {"--stream", workers.stream, "--table", workers.table, "--observe", "PT0S",
                "--dynamodb-endpoint", TestDynamoDb.shared().endpoint().toString(), "--region", "us-east-1",
                "--kinesis-endpoint", TestKinesis.endpoint().toString(), "--requested-by", "test"};
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        // the command takes the default credentials, as an operator's shell has them; the local servers take any
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "test"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "test"));

        int dryRun = MigrationCommandAccess.run(concat(new String[] {"import", "--from", "kcl", "--source-table", source,
                "--dry-run"}, common), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(dryRun).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Dry run", "shardId-000000000000", "WOULD_WRITE");
        assertThat(ours.scan()).isEmpty();
        printed.reset();
        int refused = MigrationCommandAccess.run(concat(new String[] {"import", "--from", "kcl", "--source-table",
                "no-such-table"}, common), new PrintStream(printed, true, StandardCharsets.UTF_8));
        assertThat(refused).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Refused", "no-such-table does not exist");
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private CheckpointImport.Builder importing(CheckpointSource from) {
        return CheckpointImport.builder().store(ours).source(from).stream(shards).options(MigrationOptions.defaults()
                .withObserveFor(Duration.ZERO).withRequestedBy("test"));
    }

    private void assertRefused(CheckpointSource from, String... words) {
        assertThatThrownBy(() -> importing(from).build().run()).isInstanceOf(MigrationRefusedException.class)
                .message().contains(words);
        assertThat(ours.scan()).as("nothing written").isEmpty();
    }

    private void table(String key) {
        dynamoDb.createTable(create -> create.tableName(source).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(definition -> definition.attributeName(key).attributeType(ScalarAttributeType.S))
                .keySchema(schema -> schema.attributeName(key).keyType(KeyType.HASH)));
        dynamoDb.waiter().waitUntilTableExists(describe -> describe.tableName(source), wait -> wait
                .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50))));
    }

    /** A lease row as the KCL writes it. */
    private void putKcl(String leaseKey, String checkpoint) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("leaseKey", s(leaseKey));
        item.put("leaseCounter", AttributeValue.fromN("3"));
        item.put("ownerSwitchesSinceCheckpoint", AttributeValue.fromN("0"));
        item.put("checkpoint", s(checkpoint));
        item.put("checkpointSubSequenceNumber", AttributeValue.fromN("0"));
        put(item);
    }

    private void put(Map<String, AttributeValue> item) {
        dynamoDb.putItem(put -> put.tableName(source).item(item));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }
}
