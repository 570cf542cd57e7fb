package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Golden tests of every write of a heartbeat row (worker renewal mode): the exact update and condition, so that a
 * change to any of them is a change someone meant, as {@code LeaseConditionsTests} does for the lease rows.
 */
class HeartbeatRowsTests {

    private static final Map<String, AttributeValue> KEY = Map.of("ShardID", AttributeValue.fromS("#worker#w1"));
    private static final Instant NOW = Instant.parse("2026-12-07T06:00:00Z");

    @Test
    void aHeartbeatMovesTheCounterOnlyUnderItsOwnEpochAndClearsWhatWasActedOn() {
        UpdateItemRequest quiet = HeartbeatRows.beat("t", KEY, "e1", NOW, 3, List.of(), List.of(), List.of()).build();
        UpdateItemRequest busy = HeartbeatRows.beat("t", KEY, "e1", NOW, 3, List.of("s1"), List.of("r1"), List.of("s2"))
                .build();

        assertThat(quiet.updateExpression()).isEqualTo("SET #counter = #counter + :one, #at = :at, #changes = :changes");
        assertThat(quiet.conditionExpression()).isEqualTo("#epoch = :epoch");
        assertThat(busy.updateExpression()).isEqualTo("SET #counter = #counter + :one, #at = :at, #changes = :changes"
                + " REMOVE #claims.#c0, #resets.#r0 DELETE #handedOver :handedOverTaken");
        assertThat(busy.expressionAttributeValues()).containsEntry(":handedOverTaken", AttributeValue.fromSs(List.of("s2")));
    }

    @Test
    void aJudgementOfDeathHoldsOnlyOnTheHeartbeatSeenStandingStill() {
        HeartbeatRows.Row seen = new HeartbeatRows.Row("w1", "e1", 7, Map.of(), Map.of(), 0, Set.of());

        assertThat(HeartbeatRows.expire("t", KEY, seen, "w2").build().conditionExpression())
                .isEqualTo("#epoch = :epoch AND #counter = :counter");
        assertThat(HeartbeatRows.expire("t", KEY, null, "w2").build().conditionExpression())
                .isEqualTo("attribute_not_exists(#epoch)");
    }

    @Test
    void mailboxesAreWrittenOnlyWhileTheirWorkerIsThereAndClaimsOnlyOnceAndOnlyBackByTheirClaimant() {
        assertThat(HeartbeatRows.claim("t", KEY, "e1", "s1", "w2").build().conditionExpression())
                .isEqualTo("#epoch = :epoch AND attribute_not_exists(#claims.#shard)");
        UpdateItemRequest withdrawal = HeartbeatRows.withdrawClaim("t", KEY, "s1", "w2").build();
        assertThat(withdrawal.updateExpression()).isEqualTo("REMOVE #claims.#shard");
        assertThat(withdrawal.conditionExpression()).isEqualTo("#claims.#shard = :claimant");
        assertThat(HeartbeatRows.resetNotice("t", KEY, "e1", "r1", "s1").build().conditionExpression())
                .isEqualTo("#epoch = :epoch");
        UpdateItemRequest handOver = HeartbeatRows.handOverNote("t", KEY, "s1").build();
        assertThat(handOver.updateExpression()).isEqualTo("ADD #handedOver :shards");
        assertThat(handOver.conditionExpression()).isEqualTo("attribute_exists(#epoch)");
    }

    @Test
    void aRowIsDeletedOnlyAsTheVersionGiven() {
        DeleteItemRequest leave = HeartbeatRows.delete("t", KEY, "e1", null).build();
        DeleteItemRequest sweep = HeartbeatRows.delete("t", KEY, "e1", 9L).build();

        assertThat(leave.conditionExpression()).isEqualTo("#epoch = :epoch");
        assertThat(sweep.conditionExpression()).isEqualTo("#epoch = :epoch AND #counter = :counter");
    }

    @Test
    void theModeIsMarkedUnconditionallyOnlyAfterTheStartChecksAndTableChangesMoveOnlyOnAnExistingModeRow() {
        assertThat(HeartbeatRows.markWorkerMode("t", KEY).build().conditionExpression()).isNull();
        assertThat(HeartbeatRows.bumpTableChanges("t", KEY).build().conditionExpression())
                .isEqualTo("attribute_exists(#key)");
    }
}
