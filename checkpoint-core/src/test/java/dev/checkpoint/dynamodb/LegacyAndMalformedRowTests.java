package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

import dev.checkpoint.Lease;
import dev.checkpoint.LeaseNotAcquiredException;
import dev.checkpoint.MalformedLeaseException;
import dev.checkpoint.ShardStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Rows written by the Go library are read and taken over; rows that cannot be read are reported, never an NPE. */
class LegacyAndMalformedRowTests {

    private final DynamoDbClient client = Tables.client();
    private final ManualMonotonicClock time = new ManualMonotonicClock();
    private String table;
    private DynamoDbCheckpointer worker;

    @BeforeEach
    void createTable() {
        table = Tables.newTableName();
        worker = Tables.initialised(Tables.checkpointer(client, table, "java-worker", time));
    }

    @Test
    void goRowIsReadWithItsNanosecondTimeoutAndNoCounter() {
        put(goRow("shard-1", "go-worker", "2026-11-28T12:00:00.123456789Z", "4959"));

        Lease lease = worker.listLeases().get(0);

        assertThat(lease.owner()).isEqualTo("go-worker");
        assertThat(lease.leaseTimeout()).hasToString("2026-11-28T12:00:00.123456789Z");
        assertThat(lease.leaseCounter()).isZero();
        assertThat(lease.checkpoint()).isEqualTo("4959");
    }

    @Test
    void goRowWithAnOffsetTimeoutIsRead() {
        put(goRow("shard-1", "go-worker", "2026-11-28T13:00:00.5+01:00", "1"));

        assertThat(worker.listLeases().get(0).leaseTimeout()).hasToString("2026-11-28T12:00:00.500Z");
    }

    @Test
    void goRowIsTakenOverAfterExpiryAndKeepsItsCheckpoint() {
        put(goRow("shard-1", "go-worker", "2026-11-28T12:00:00.12Z", "4959"));
        assertThatThrownBy(() -> worker.getLease(new ShardStatus("shard-1"), "java-worker"))
                .isInstanceOf(LeaseNotAcquiredException.class);

        time.advance(Tables.LEASE.plusSeconds(1));
        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "java-worker");

        Map<String, AttributeValue> row = row("shard-1");
        assertThat(row.get("AssignedTo").s()).isEqualTo("java-worker");
        assertThat(row.get("LeaseCounter").n()).isEqualTo("1");
        assertThat(row.get("Checkpoint").s()).isEqualTo("4959");
        assertThat(shard.getCheckpoint()).isEqualTo("4959");
    }

    @Test
    void goWorkerThatRenewsMeanwhileIsNotOverwritten() {
        put(goRow("shard-1", "go-worker", "2026-11-28T12:00:00.12Z", "4959"));
        worker.listLeases();
        time.advance(Tables.LEASE.plusSeconds(1));
        // The Go worker renews by writing a new timeout, after this worker last looked.
        put(goRow("shard-1", "go-worker", "2026-11-28T12:00:02.5Z", "4960"));

        assertThatThrownBy(() -> worker.getLease(new ShardStatus("shard-1"), "java-worker"))
                .isInstanceOf(LeaseNotAcquiredException.class);
        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("go-worker");
    }

    @Test
    void goRowReleasedByTheGoLibraryIsFree() {
        Map<String, AttributeValue> released = goRow("shard-1", "go-worker", "2026-11-28T12:00:00Z", "7");
        released.remove("AssignedTo");
        put(released);

        worker.getLease(new ShardStatus("shard-1"), "java-worker");

        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("java-worker");
    }

    @Test
    void numberWhereAStringBelongsNamesTheShardAndAttribute() {
        Map<String, AttributeValue> row = goRow("shard-1", "go-worker", "2026-11-28T12:00:00Z", "7");
        row.put("Checkpoint", AttributeValue.fromN("7"));
        put(row);

        assertThatThrownBy(() -> worker.fetchCheckpoint(new ShardStatus("shard-1")))
                .isInstanceOf(MalformedLeaseException.class)
                .hasMessageContaining("shard-1").hasMessageContaining("Checkpoint").hasMessageContaining("string");
        assertThatThrownBy(() -> worker.getLease(new ShardStatus("shard-1"), "java-worker"))
                .isInstanceOf(MalformedLeaseException.class)
                .extracting(failure -> ((MalformedLeaseException) failure).getAttribute()).isEqualTo("Checkpoint");
    }

    @Test
    void unparseableTimeoutNamesTheShardAndAttribute() {
        put(goRow("shard-1", "go-worker", "next tuesday", "7"));

        assertThatThrownBy(() -> worker.getLeaseOwner("shard-1"))
                .isInstanceOf(MalformedLeaseException.class)
                .hasMessageContaining("shard-1").hasMessageContaining("LeaseTimeout").hasMessageContaining("next tuesday");
    }

    @Test
    void nonNumericCounterNamesTheShardAndAttribute() {
        Map<String, AttributeValue> row = goRow("shard-1", "go-worker", "2026-11-28T12:00:00Z", "7");
        row.put("LeaseCounter", AttributeValue.fromS("seven"));
        put(row);

        assertThatThrownBy(() -> worker.getLeaseOwner("shard-1"))
                .isInstanceOf(MalformedLeaseException.class)
                .hasMessageContaining("LeaseCounter");
    }

    @Test
    void listingsSkipMalformedRowsAndKeepTheRest() {
        put(goRow("shard-bad-timeout", "go-worker", "yesterday", "7"));
        Map<String, AttributeValue> wrongType = goRow("shard-bad-owner", "x", "2026-11-28T12:00:00Z", "7");
        wrongType.put("AssignedTo", AttributeValue.fromN("3"));
        put(wrongType);
        Map<String, AttributeValue> ownerless = goRow("shard-ownerless", "x", "2026-11-28T12:00:00Z", "7");
        ownerless.remove("AssignedTo");
        put(ownerless);
        worker.getLease(new ShardStatus("shard-good"), "java-worker");

        assertThat(worker.listLeases()).extracting(Lease::shardId).containsExactly("shard-good", "shard-ownerless");
    }

    @Test
    void goRowWithAnEmptyOwnerIsTakenAsFreeByAWorkerThatNeverSawIt() {
        // What the Go library leaves when one of its checkpoints lands after its release.
        put(goRow("shard-1", "", "2026-11-28T12:00:00.12Z", "4959"));

        ShardStatus shard = new ShardStatus("shard-1");
        worker.getLease(shard, "java-worker");

        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("java-worker");
        assertThat(row("shard-1").get("LeaseCounter").n()).isEqualTo("1");
        assertThat(shard.getCheckpoint()).isEqualTo("4959");
    }

    @Test
    void goRowWithAnEmptyOwnerIsTakenAsFreeAfterAListing() {
        put(goRow("shard-1", "", "2026-11-28T12:00:00.12Z", "4959"));
        assertThat(worker.listLeases().get(0).isOwned()).isFalse();

        worker.getLease(new ShardStatus("shard-1"), "java-worker");

        assertThat(row("shard-1").get("AssignedTo").s()).isEqualTo("java-worker");
    }

    @Test
    void goRowWithAnEmptyOwnerCanBeClaimed() {
        put(goRow("shard-1", "", "2026-11-28T12:00:00.12Z", "4959"));
        worker.listLeases();

        worker.claimShard(new ShardStatus("shard-1"), "java-worker");

        assertThat(row("shard-1").get("ClaimRequest").s()).isEqualTo("java-worker");
    }

    @Test
    void leaseTimeoutIsWrittenExactlyAsGoFormatsIt() {
        for (String written : new String[] { "2026-11-29T15:36:28.54101439Z", "2026-11-29T15:36:28.5Z",
                "2026-11-29T15:36:28Z", "2026-11-29T15:36:28.000000001Z", "2026-11-29T15:36:28.12345Z" }) {
            Instant now = Instant.parse(written).minus(Tables.LEASE);
            DynamoDbCheckpointer atFixedTime = Tables.checkpointer(client, table, "java-worker", time)
                    .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
            String shardId = "shard-" + written;

            atFixedTime.getLease(new ShardStatus(shardId), "java-worker");

            assertThat(row(shardId).get("LeaseTimeout").s()).isEqualTo(written);
        }
    }

    @Test
    void aGoWorkersClaimOnOurLeaseSucceeds() {
        // Go's ClaimShard parses the stored timeout, formats it again with time.RFC3339Nano, and writes on condition
        // that the stored string equals its own: with any other spelling of the instant, the claim fails.
        for (int nanos : new int[] { 541014390, 500000000, 0, 120000000, 7 }) {
            Instant now = Instant.parse("2026-11-29T15:36:28Z").plusNanos(nanos);
            DynamoDbCheckpointer atFixedTime = Tables.checkpointer(client, table, "java-worker", time)
                    .clock(Clock.fixed(now, ZoneOffset.UTC)).build();
            String shardId = "shard-" + nanos;
            atFixedTime.getLease(new ShardStatus(shardId), "java-worker");

            String goFormatted = goRfc3339Nano(Instant.parse(row(shardId).get("LeaseTimeout").s()));
            client.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(Map.of("ShardID", AttributeValue.fromS(shardId)))
                    .updateExpression("SET ClaimRequest = :claimant")
                    .conditionExpression("LeaseTimeout = :timeout AND attribute_not_exists(ClaimRequest)")
                    .expressionAttributeValues(Map.of(":claimant", AttributeValue.fromS("go-worker"),
                            ":timeout", AttributeValue.fromS(goFormatted)))
                    .build());

            assertThat(row(shardId).get("ClaimRequest").s()).isEqualTo("go-worker");
        }
    }

    /** Go's time.RFC3339Nano for a UTC time, written independently of the code under test: trailing zeros trimmed. */
    private static String goRfc3339Nano(Instant time) {
        String iso = DateTimeFormatter.ISO_INSTANT.format(time);   // 0, 3, 6 or 9 fraction digits
        return iso.replaceAll("(\\.\\d*?)0+Z$", "$1Z").replace(".Z", "Z");
    }

    private static Map<String, AttributeValue> goRow(String shardId, String owner, String timeout, String checkpoint) {
        Map<String, AttributeValue> row = new HashMap<>();
        row.put("ShardID", AttributeValue.fromS(shardId));
        row.put("AssignedTo", AttributeValue.fromS(owner));
        row.put("LeaseTimeout", AttributeValue.fromS(timeout));
        row.put("Checkpoint", AttributeValue.fromS(checkpoint));
        return row;
    }

    private void put(Map<String, AttributeValue> row) {
        client.putItem(PutItemRequest.builder().tableName(table).item(row).build());
    }

    private Map<String, AttributeValue> row(String shardId) {
        return client.getItem(GetItemRequest.builder().tableName(table)
                .key(Map.of("ShardID", AttributeValue.fromS(shardId))).consistentRead(true).build()).item();
    }
}
