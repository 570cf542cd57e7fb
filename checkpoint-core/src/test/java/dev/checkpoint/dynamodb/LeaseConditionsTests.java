package dev.checkpoint.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import dev.checkpoint.ImportedCheckpoint;
import dev.checkpoint.Lease;
import dev.checkpoint.PendingReset;
import dev.checkpoint.StartingPosition;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Golden tests: the exact condition and update expressions of every write of the protocol. A change here is a change
 * of the protocol, to be made on purpose; the behaviour behind each is tested against dynalite elsewhere.
 */
class LeaseConditionsTests {

    private static final Instant TIMEOUT = Instant.parse("2026-11-29T15:36:28.54101439Z");

    @Test
    void takeOfAShardNeverSeen() {
        UpdateItemRequest take = request(LeaseConditions.take(null, "w1", null, TIMEOUT, true, false));

        assertThat(take.updateExpression()).isEqualTo("SET #timeout = :timeout, #owner = :newOwner, "
                + "#counter = if_not_exists(#counter, :zero) + :one REMOVE #claim");
        assertThat(take.conditionExpression()).isEqualTo("attribute_not_exists(#owner) AND "
                + "(attribute_not_exists(#claim) OR #claim = :newOwner)");
        assertThat(take.expressionAttributeValues()).containsEntry(":timeout", s("2026-11-29T15:36:28.54101439Z"))
                .containsEntry(":newOwner", s("w1")).containsEntry(":one", n(1)).containsEntry(":zero", n(0));
    }

    @Test
    void importOnARowWithNoProgress() {
        UpdateItemRequest imported = request(LeaseConditions.importCheckpoint(
                ImportedCheckpoint.after("s", "42", 3L, "parent-1"), null));

        assertThat(imported.updateExpression()).isEqualTo("SET #checkpoint = :checkpoint, #subSequence = :subSequence, "
                + "#parent = :parent REMOVE #owner, #timeout, #claim, #processEpoch, #resetTo, #resetId, #resetBy, #resetAt, "
                + "#startingPosition");
        assertThat(imported.conditionExpression()).isEqualTo("attribute_not_exists(#counter) AND "
                + "attribute_not_exists(#checkpoint) AND attribute_not_exists(#startingPosition)");
        assertThat(imported.expressionAttributeValues()).containsEntry(":checkpoint", s("42"))
                .containsEntry(":subSequence", n(3)).containsEntry(":parent", s("parent-1"));
    }

    @Test
    void importReplacingTheRowAsRead() {
        Lease asRead = new Lease("s", "w9", null, 6, "7", null, null);

        UpdateItemRequest imported = request(LeaseConditions.importCheckpoint(
                ImportedCheckpoint.notStarted("s", StartingPosition.trimHorizon(), null), asRead));

        assertThat(imported.updateExpression()).isEqualTo("SET #startingPosition = :startingPosition, "
                + "#counter = #counter + :one REMOVE #owner, #timeout, #claim, #processEpoch, #resetTo, #resetId, #resetBy, "
                + "#resetAt, #checkpoint, #subSequence");
        assertThat(imported.conditionExpression()).isEqualTo("#counter = :seenCounter AND #owner = :seenOwner");
        assertThat(imported.expressionAttributeValues()).containsEntry(":startingPosition", s("TRIM_HORIZON"))
                .containsEntry(":seenCounter", n(6)).containsEntry(":seenOwner", s("w9"));
    }

    @Test
    void takeOfAFreeRowSeen() {
        Observation free = seen(new Lease("s", null, null, 4, "cp", null, null), null);

        UpdateItemRequest take = request(LeaseConditions.take(free, "w1", "parent-1", TIMEOUT, false, false));

        assertThat(take.updateExpression()).isEqualTo("SET #timeout = :timeout, #owner = :newOwner, "
                + "#counter = if_not_exists(#counter, :zero) + :one, #parent = :parent REMOVE #claim");
        assertThat(take.conditionExpression()).isEqualTo("attribute_not_exists(#owner) AND #counter = :seenCounter");
        assertThat(take.expressionAttributeValues()).containsEntry(":seenCounter", n(4)).containsEntry(":parent", s("parent-1"));
    }

    @Test
    void takeOfARowTheGoLibraryLeftWithAnEmptyOwner() {
        Observation goEmpty = new Observation(new Lease("s", null, null, 0, "cp", null, null), "2026-11-29T15:36:28Z", 0, 0, true);

        UpdateItemRequest take = request(LeaseConditions.take(goEmpty, "w1", null, TIMEOUT, false, false));

        assertThat(take.conditionExpression()).isEqualTo("#owner = :noOwner AND attribute_not_exists(#counter) AND "
                + "#timeout = :seenTimeout");
        assertThat(take.expressionAttributeValues()).containsEntry(":noOwner", s(""));
    }

    @Test
    void takeOverOfAnExpiredLease() {
        Observation expired = seen(new Lease("s", "w2", TIMEOUT, 9, "cp", null, null), "2026-11-29T15:36:28.54101439Z");

        UpdateItemRequest take = request(LeaseConditions.take(expired, "w1", null, TIMEOUT, true, false));

        assertThat(take.conditionExpression()).isEqualTo("#owner = :seenOwner AND #counter = :seenCounter AND "
                + "(attribute_not_exists(#claim) OR #claim = :newOwner)");
        assertThat(take.expressionAttributeValues()).containsEntry(":seenOwner", s("w2")).containsEntry(":seenCounter", n(9));
    }

    @Test
    void takeOverOfAGoRowIsConditionedOnItsExactTimeoutString() {
        Observation goRow = seen(new Lease("s", "go-worker", TIMEOUT, 0, "cp", null, null), "2026-11-29T16:36:28.541+01:00");

        UpdateItemRequest take = request(LeaseConditions.take(goRow, "w1", null, TIMEOUT, false, false));

        assertThat(take.conditionExpression()).isEqualTo("#owner = :seenOwner AND attribute_not_exists(#counter) AND "
                + "#timeout = :seenTimeout");
        assertThat(take.expressionAttributeValues()).containsEntry(":seenTimeout", s("2026-11-29T16:36:28.541+01:00"));
    }

    @Test
    void takePassingAnExpiredClaim() {
        Observation claimed = seen(new Lease("s", "w2", TIMEOUT, 9, "cp", null, "w3"), "x");

        UpdateItemRequest take = request(LeaseConditions.take(claimed, "w1", null, TIMEOUT, true, true));

        assertThat(take.conditionExpression()).isEqualTo("#owner = :seenOwner AND #counter = :seenCounter AND "
                + "(attribute_not_exists(#claim) OR #claim = :newOwner OR #claim = :expiredClaim)");
        assertThat(take.expressionAttributeValues()).containsEntry(":expiredClaim", s("w3"));
    }

    @Test
    void renewalWithoutReadBack() {
        Observation held = seen(new Lease("s", "w1", TIMEOUT, 12, "cp", null, null), "x");

        UpdateItemRequest renewal = request(LeaseConditions.renewal(held, TIMEOUT, null, true, false));

        assertThat(renewal.updateExpression()).isEqualTo("SET #timeout = :timeout, #counter = #counter + :one REMOVE #handedOver, #claim");
        assertThat(renewal.conditionExpression()).isEqualTo("#owner = :seenOwner AND #counter = :seenCounter AND "
                + "attribute_not_exists(#resetId) AND (attribute_not_exists(#claim) OR #claim = :newOwner)");
        assertThat(renewal.expressionAttributeValues()).containsEntry(":seenOwner", s("w1")).containsEntry(":newOwner", s("w1"))
                .containsEntry(":seenCounter", n(12));
        assertThat(renewal.returnValues()).isNull();
    }

    @Test
    void renewalWithoutLeaseStealingLeavesClaimsAlone() {
        Observation held = seen(new Lease("s", "w1", TIMEOUT, 12, "cp", null, null), "x");

        UpdateItemRequest renewal = request(LeaseConditions.renewal(held, TIMEOUT, null, false, false));

        assertThat(renewal.updateExpression()).isEqualTo("SET #timeout = :timeout, #counter = #counter + :one REMOVE #handedOver");
        assertThat(renewal.conditionExpression()).isEqualTo("#owner = :seenOwner AND #counter = :seenCounter"
                + " AND attribute_not_exists(#resetId)");
    }

    @Test
    void aResetRequestWritesTheResetOnAnExistingRowAndNothingElse() {
        PendingReset reset = new PendingReset("id-1", StartingPosition.atTimestamp(Instant.parse("2026-11-29T10:00:00Z")),
                "alice", TIMEOUT);

        UpdateItemRequest request = request(LeaseConditions.resetRequest(reset));

        assertThat(request.updateExpression()).isEqualTo("SET #resetTo = :resetTo, #resetId = :resetId, "
                + "#resetBy = :resetBy, #resetAt = :resetAt");
        assertThat(request.conditionExpression()).isEqualTo("attribute_exists(#key)");
        assertThat(request.expressionAttributeValues()).containsEntry(":resetTo", s("AT_TIMESTAMP 2026-11-29T10:00:00Z"))
                .containsEntry(":resetId", s("id-1")).containsEntry(":resetBy", s("alice"))
                .containsEntry(":resetAt", s("2026-11-29T15:36:28.54101439Z"));
        assertThat(request.expressionAttributeNames()).containsEntry("#key", "ShardID").containsEntry("#resetTo", "ResetTo")
                .containsEntry("#resetId", "ResetId").containsEntry("#resetBy", "ResetRequestedBy")
                .containsEntry("#resetAt", "ResetRequestedAt").doesNotContainKey("#owner");
    }

    @Test
    void aTakeOfARowWithAResetAppliesItOnConditionItIsStillTheOneSeen() {
        PendingReset reset = new PendingReset("id-1", StartingPosition.trimHorizon(), "alice", TIMEOUT);
        Observation resetRow = seen(new Lease("s", "w1", TIMEOUT, 5, "100", null, null, 3L, reset, null), "x");

        UpdateItemRequest take = request(LeaseConditions.take(resetRow, "w1", null, TIMEOUT, false, false));

        assertThat(take.updateExpression()).isEqualTo("SET #timeout = :timeout, #owner = :newOwner, "
                + "#counter = if_not_exists(#counter, :zero) + :one, #startingPosition = :startingPosition "
                + "REMOVE #checkpoint, #subSequence, #resetTo, #resetId, #resetBy, #resetAt");
        assertThat(take.conditionExpression()).isEqualTo("#owner = :seenOwner AND #counter = :seenCounter AND "
                + "#resetId = :seenResetId");
        assertThat(take.expressionAttributeValues()).containsEntry(":startingPosition", s("TRIM_HORIZON"))
                .containsEntry(":seenResetId", s("id-1"));
    }

    @Test
    void theFirstCheckpointAfterAResetRemovesItsStartingPosition() {
        Observation held = seen(new Lease("s", "w1", TIMEOUT, 6, null, null, null, null, null,
                StartingPosition.latest()), "x");

        UpdateItemRequest checkpoint = request(LeaseConditions.checkpoint(held, "101", null));

        assertThat(checkpoint.updateExpression()).isEqualTo("SET #checkpoint = :checkpoint REMOVE #startingPosition");
        assertThat(checkpoint.conditionExpression()).isEqualTo("#owner = :holder AND #counter = :seenCounter AND "
                + "attribute_not_exists(#resetId) AND attribute_not_exists(#checkpoint)");
    }

    @Test
    void checkpointIsFencedByOwnerVersionAndTheCheckpointLastSeen() {
        Observation held = seen(new Lease("s", "w1", TIMEOUT, 12, "100", null, null), "x");

        UpdateItemRequest checkpoint = request(LeaseConditions.checkpoint(held, "101", null));

        assertThat(checkpoint.updateExpression()).isEqualTo("SET #checkpoint = :checkpoint");
        assertThat(checkpoint.conditionExpression())
                .isEqualTo("#owner = :holder AND #counter = :seenCounter AND attribute_not_exists(#resetId) AND #checkpoint = :seenCheckpoint");
        assertThat(checkpoint.expressionAttributeValues()).containsEntry(":checkpoint", s("101"))
                .containsEntry(":seenCheckpoint", s("100")).containsEntry(":holder", s("w1"));
    }

    @Test
    void firstCheckpointRequiresNoneStored() {
        Observation held = seen(new Lease("s", "w1", TIMEOUT, 1, null, null, null), "x");

        assertThat(request(LeaseConditions.checkpoint(held, "1", null)).conditionExpression())
                .isEqualTo("#owner = :holder AND #counter = :seenCounter AND attribute_not_exists(#resetId) AND attribute_not_exists(#checkpoint)");
    }

    @Test
    void aCheckpointInsideAnAggregateSetsItsSubSequenceAndIsFencedByTheOneLastSeen() {
        Observation wholeRecord = seen(new Lease("s", "w1", TIMEOUT, 12, "100", null, null), "x");
        Observation insideAggregate = seen(new Lease("s", "w1", TIMEOUT, 12, "200", null, null, 3L), "x");

        UpdateItemRequest first = request(LeaseConditions.checkpoint(wholeRecord, "200", 3L));
        UpdateItemRequest next = request(LeaseConditions.checkpoint(insideAggregate, "200", 7L));

        assertThat(first.updateExpression()).isEqualTo("SET #checkpoint = :checkpoint, #subSequence = :subSequence");
        assertThat(first.conditionExpression()).isEqualTo("#owner = :holder AND #counter = :seenCounter"
                + " AND attribute_not_exists(#resetId) AND #checkpoint = :seenCheckpoint AND attribute_not_exists(#subSequence)");
        assertThat(first.expressionAttributeNames()).containsEntry("#subSequence", "CheckpointSubSequenceNumber");
        assertThat(next.conditionExpression()).isEqualTo("#owner = :holder AND #counter = :seenCounter"
                + " AND attribute_not_exists(#resetId) AND #checkpoint = :seenCheckpoint AND #subSequence = :seenSubSequence");
        assertThat(next.expressionAttributeValues()).containsEntry(":subSequence", AttributeValue.fromN("7"))
                .containsEntry(":seenSubSequence", AttributeValue.fromN("3"));
    }

    @Test
    void aWholeRecordCheckpointAfterOneInsideAnAggregateRemovesTheSubSequence() {
        Observation insideAggregate = seen(new Lease("s", "w1", TIMEOUT, 12, "200", null, null, 9L), "x");

        UpdateItemRequest whole = request(LeaseConditions.checkpoint(insideAggregate, "300", null));

        assertThat(whole.updateExpression()).isEqualTo("SET #checkpoint = :checkpoint REMOVE #subSequence");
        assertThat(whole.conditionExpression()).isEqualTo("#owner = :holder AND #counter = :seenCounter"
                + " AND attribute_not_exists(#resetId) AND #checkpoint = :seenCheckpoint AND #subSequence = :seenSubSequence");
    }

    @Test
    void releaseOfALeaseHeldAsSeenAndOfOneNotSeen() {
        Observation held = seen(new Lease("s", "w1", TIMEOUT, 12, "cp", null, null), "x");

        UpdateItemRequest release = request(LeaseConditions.release(held, "w1"));
        UpdateItemRequest blind = request(LeaseConditions.release(null, "w1"));

        assertThat(release.updateExpression())
                .isEqualTo("SET #counter = if_not_exists(#counter, :zero) + :one REMOVE #owner, #timeout");
        assertThat(release.conditionExpression()).isEqualTo("#owner = :holder AND #counter = :seenCounter");
        assertThat(blind.conditionExpression()).isEqualTo("#owner = :holder");
    }

    @Test
    void handOverNoteIsAddedOnlyToARowOfTheSuccessorAndChangesNothingElse() {
        UpdateItemRequest note = request(LeaseConditions.handOverNote("w2", "s9"));

        assertThat(note.updateExpression()).isEqualTo("ADD #handedOver :shards");
        assertThat(note.conditionExpression()).isEqualTo("#owner = :successor");
        assertThat(note.expressionAttributeValues()).containsEntry(":shards", AttributeValue.fromSs(java.util.List.of("s9")));
    }

    @Test
    void withdrawalOfAClaimRemovesItOnlyWhileItIsTheClaimants() {
        UpdateItemRequest withdrawal = request(LeaseConditions.withdrawClaim("w1"));

        assertThat(withdrawal.updateExpression()).isEqualTo("REMOVE #claim");
        assertThat(withdrawal.conditionExpression()).isEqualTo("#claim = :claimant");
        assertThat(withdrawal.expressionAttributeValues()).containsEntry(":claimant", AttributeValue.fromS("w1"));
    }

    @Test
    void claimOfAnOwnedShardAndOverAnExpiredClaim() {
        Observation owned = seen(new Lease("s", "w2", TIMEOUT, 7, "cp", null, null), "x");
        Observation staleClaim = seen(new Lease("s", "w2", TIMEOUT, 7, "cp", null, "w3"), "x");

        UpdateItemRequest claim = request(LeaseConditions.claim(owned, "w1", "w2", false));
        UpdateItemRequest overExpired = request(LeaseConditions.claim(staleClaim, "w1", "w2", true));
        UpdateItemRequest ofFree = request(LeaseConditions.claim(null, "w1", null, false));

        assertThat(claim.updateExpression()).isEqualTo("SET #claim = :claimant");
        assertThat(claim.conditionExpression()).isEqualTo("attribute_not_exists(#claim) AND #owner = :expectedOwner");
        assertThat(overExpired.conditionExpression()).isEqualTo("(attribute_not_exists(#claim) OR (#claim = :expiredClaim "
                + "AND #counter = :seenCounter)) AND #owner = :expectedOwner");
        assertThat(ofFree.conditionExpression()).isEqualTo("attribute_not_exists(#claim) AND attribute_not_exists(#owner)");
    }

    private static Observation seen(Lease lease, String timeoutText) {
        return new Observation(lease, timeoutText, 0, 0);
    }

    private static UpdateItemRequest request(ConditionalUpdate update) {
        return update.toRequest("leases", LeaseKeys.single().of("s"), ReturnValue.NONE).build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
