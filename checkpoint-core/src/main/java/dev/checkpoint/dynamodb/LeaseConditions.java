package dev.checkpoint.dynamodb;

import static dev.checkpoint.dynamodb.ConditionalUpdate.CHECKPOINT;
import static dev.checkpoint.dynamodb.ConditionalUpdate.SUB_SEQUENCE;
import static dev.checkpoint.dynamodb.ConditionalUpdate.CLAIM;
import static dev.checkpoint.dynamodb.ConditionalUpdate.COUNTER;
import static dev.checkpoint.dynamodb.ConditionalUpdate.OWNER;
import static dev.checkpoint.dynamodb.ConditionalUpdate.OWNER_EPOCH;
import static dev.checkpoint.dynamodb.ConditionalUpdate.HANDED_OVER;
import static dev.checkpoint.dynamodb.ConditionalUpdate.PARENT;
import static dev.checkpoint.dynamodb.ConditionalUpdate.TIMEOUT;
import static dev.checkpoint.dynamodb.ConditionalUpdate.KEY;
import static dev.checkpoint.dynamodb.ConditionalUpdate.RESET_AT;
import static dev.checkpoint.dynamodb.ConditionalUpdate.RESET_BY;
import static dev.checkpoint.dynamodb.ConditionalUpdate.RESET_ID;
import static dev.checkpoint.dynamodb.ConditionalUpdate.RESET_TO;
import static dev.checkpoint.dynamodb.ConditionalUpdate.STARTING_POSITION;
import static dev.checkpoint.dynamodb.LeaseSerializer.number;
import static dev.checkpoint.dynamodb.LeaseSerializer.string;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.checkpoint.ImportedCheckpoint;
import dev.checkpoint.Lease;
import dev.checkpoint.PendingReset;
import dev.checkpoint.dynamodb.LeaseObservations.Observation;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Every write of the lease protocol, with the condition that makes it safe: the whole protocol on one screen. Pure:
 * each method builds one UpdateItem from what this worker has seen, and sends nothing. The fencing token is
 * {@code LeaseCounter}; rows of the Go library have none, and their exact {@code LeaseTimeout} string is their version.
 */
final class LeaseConditions {

    private LeaseConditions() {
    }

    /**
     * <b>Take</b>: this worker becomes the owner, with a new timeout and the next counter. On condition that the row
     * is still as seen: never seen, it must have no owner (UpdateItem creates a missing row); seen free, it must still
     * have no owner (none, or the Go library's empty one, as seen) and be the same version; seen owned (expired, or still this
     * worker's), it must still have that owner and be the same version. With lease stealing, only the claimant may
     * pass a standing claim (or anybody an expired one), and the claim is removed; without, another owner's claim is
     * removed too. A reset seen pending on the row is applied: the checkpoint goes, the reset's position becomes the
     * starting position, on condition that the reset is still the one seen (a newer one is applied by the next take).
     *
     * @param seen the row as this worker last saw it, or {@code null}
     * @param timeout the new {@code LeaseTimeout}; {@code null} in worker renewal mode ({@link #ownedByProcess})
     * @param claimExpired whether the claim seen on the row has stood untaken for longer than the claim timeout
     */
    static ConditionalUpdate take(@Nullable Observation seen, String newOwner, @Nullable String parentShardId,
            @Nullable Instant timeout, boolean leaseStealing, boolean claimExpired) {
        ConditionalUpdate update = new ConditionalUpdate();
        if (timeout != null) {
            update.set(TIMEOUT + " = :timeout").value(":timeout", LeaseSerializer.timeout(timeout));
        }
        update.value(":one", number(1))
                .set(OWNER + " = :newOwner").value(":newOwner", string(newOwner))
                .set(COUNTER + " = if_not_exists(" + COUNTER + ", :zero) + :one").value(":zero", number(0));
        parent(update, parentShardId);
        Lease lease = seen == null ? null : seen.lease();
        if (lease == null) {
            update.condition("attribute_not_exists(" + OWNER + ")");
        }
        else if (!lease.isOwned()) {
            noOwner(update, seen);
        }
        else {
            update.condition(OWNER + " = :seenOwner").value(":seenOwner", string(lease.owner()));
        }
        if (seen != null) {
            sameVersion(update, seen);
        }
        if (leaseStealing) {
            onlyClaimantPasses(update, lease, newOwner, claimExpired);
        }
        else if (lease == null || !lease.isOwnedBy(newOwner)) {
            update.remove(CLAIM);
        }
        if (lease != null && lease.pendingReset() != null) {
            applyReset(update, lease.pendingReset());
        }
        return update;
    }

    /**
     * In worker renewal mode, a take's addition: the owner's process epoch, whose heartbeat keeps the lease alive from
     * now on; no {@code LeaseTimeout}, since the row is not renewed.
     */
    static ConditionalUpdate ownedByProcess(ConditionalUpdate take, String epoch) {
        return take.set(OWNER_EPOCH + " = :ownerEpoch").value(":ownerEpoch", string(epoch)).remove(TIMEOUT);
    }

    /**
     * <b>Creation</b> of a row: a shard's, without owner, so that a new shard is listed before anybody takes it; or a
     * consumer group's, binding it to its stream. On condition that there is none: an existing row (another worker's
     * creation, a lease taken since, a binding made first) is left as it is.
     */
    static PutItemRequest.Builder createIfMissing(String tableName, Map<String, AttributeValue> item) {
        return PutItemRequest.builder().tableName(tableName).item(item)
                .conditionExpression("attribute_not_exists(" + KEY + ")")
                .expressionAttributeNames(Map.of(KEY, dev.checkpoint.CheckpointConstants.LEASE_KEY_KEY));
    }

    /**
     * In a table shared by consumer groups, a take's addition: the stream the group is bound to is recorded on the row,
     * so that an operator can tell which stream a lease is of.
     */
    static ConditionalUpdate boundToStream(ConditionalUpdate take, String streamIdentity) {
        return take.set(ConditionalUpdate.STREAM_IDENTITY + " = :stream").value(":stream", string(streamIdentity));
    }

    /**
     * In worker renewal mode, a release's addition: the process epoch goes with the owner; and when the shard was
     * claimed, the claim is written on the row, so that only the claimant takes it (until the claim expires).
     */
    static ConditionalUpdate releasedByProcess(ConditionalUpdate release, @Nullable String claimant) {
        release.remove(OWNER_EPOCH);
        if (claimant != null) {
            release.set(CLAIM + " = :claimant").value(":claimant", string(claimant));
        }
        return release;
    }

    /**
     * <b>Reset request</b>: writes an operator's reset on an existing row, replacing a pending one; nothing else. It
     * does not count as a change of version, so it delays no failover. The owner's renewals and checkpoints are
     * conditioned on there being none, so it learns of it at its next renewal, and nothing it processed before can be
     * recorded after it.
     */
    static ConditionalUpdate resetRequest(PendingReset reset) {
        return new ConditionalUpdate()
                .set(RESET_TO + " = :resetTo").value(":resetTo", string(reset.to().toString()))
                .set(RESET_ID + " = :resetId").value(":resetId", string(reset.id()))
                .set(RESET_BY + " = :resetBy").value(":resetBy", string(reset.requestedBy()))
                .set(RESET_AT + " = :resetAt").value(":resetAt", LeaseSerializer.timeout(reset.requestedAt()))
                .condition("attribute_exists(" + KEY + ")");
    }

    /**
     * <b>Renewal</b>: a new timeout and the next counter, nothing else (the owner is already this worker, and nothing
     * is read back). On condition that the row is still the version this worker wrote last, with this worker as the
     * owner: so a renewal of a row released, taken over or deleted fails, and never takes it; and that no reset stands,
     * so that the owner learns of one by its renewal failing. With lease stealing, a
     * standing claim of another worker makes it fail (the owner then hands the shard over), and the claim of an
     * expired claimant is removed.
     */
    static ConditionalUpdate renewal(Observation seen, Instant timeout, @Nullable String parentShardId, boolean leaseStealing,
            boolean claimExpired) {
        Lease lease = seen.lease();
        ConditionalUpdate update = new ConditionalUpdate()
                .set(TIMEOUT + " = :timeout").value(":timeout", LeaseSerializer.timeout(timeout))
                .set(COUNTER + " = " + COUNTER + " + :one").value(":one", number(1))
                .condition(OWNER + " = :seenOwner").value(":seenOwner", string(lease.owner()))
                .remove(HANDED_OVER);   // read back with the answer: the shards handed to the owner since
        parent(update, parentShardId);
        sameVersion(update, seen);
        noReset(update);
        if (leaseStealing) {
            onlyClaimantPasses(update, lease, lease.owner(), claimExpired);
        }
        return update;
    }

    /**
     * <b>Hand over</b>: tells {@code successor}, on one of its own lease rows, that a stopping worker released
     * {@code shardId} for it to take at once; its next renewal of the row reads and clears the note. On condition that
     * the row is still the successor's. Nothing else on the row changes: not its version, so neither the successor's
     * renewal nor its checkpoints are disturbed.
     */
    static ConditionalUpdate handOverNote(String successor, String shardId) {
        return new ConditionalUpdate().add(HANDED_OVER + " :shards").value(":shards", AttributeValue.fromSs(List.of(shardId)))
                .condition(OWNER + " = :successor").value(":successor", string(successor));
    }

    /**
     * <b>Checkpoint</b>: the checkpoint alone. On condition that the owner and version are the ones this worker's own
     * take or renewal wrote (fencing: a worker whose lease was taken can never write again), and that the stored
     * checkpoint is the one this worker last saw or wrote. The second condition stops an older write of this worker,
     * which DynamoDB received but answered too late, from landing after a newer one and putting the checkpoint back.
     * A checkpoint inside an aggregated record also sets its sub-sequence number, and then the sub-sequence number last
     * seen is a condition too; a whole-record checkpoint after one removes it. Where no sub-sequence number is involved
     * (no aggregation), neither is it in the request. No reset may stand (nothing processed before a reset is recorded
     * after it), and the first checkpoint after a reset was applied removes its starting position.
     *
     * @param subSequenceNumber inside an aggregated record, the last user record processed, or {@code null}
     */
    static ConditionalUpdate checkpoint(Observation held, String checkpoint, @Nullable Long subSequenceNumber) {
        ConditionalUpdate update = new ConditionalUpdate()
                .set(CHECKPOINT + " = :checkpoint").value(":checkpoint", string(checkpoint))
                .condition(OWNER + " = :holder").value(":holder", string(held.lease().owner()));
        sameVersion(update, held);
        noReset(update);
        if (held.lease().startingPosition() != null) {
            update.remove(STARTING_POSITION);
        }
        String seenCheckpoint = held.lease().checkpoint();
        if (seenCheckpoint == null) {
            update.condition("attribute_not_exists(" + CHECKPOINT + ")");
        }
        else {
            update.condition(CHECKPOINT + " = :seenCheckpoint").value(":seenCheckpoint", string(seenCheckpoint));
        }
        Long seenSubSequence = held.lease().checkpointSubSequenceNumber();
        if (subSequenceNumber != null) {
            update.set(SUB_SEQUENCE + " = :subSequence").value(":subSequence", number(subSequenceNumber));
        }
        else if (seenSubSequence != null) {
            update.remove(SUB_SEQUENCE);
        }
        if (subSequenceNumber != null || seenSubSequence != null) {
            if (seenSubSequence == null) {
                update.condition("attribute_not_exists(" + SUB_SEQUENCE + ")");
            }
            else {
                update.condition(SUB_SEQUENCE + " = :seenSubSequence").value(":seenSubSequence", number(seenSubSequence));
            }
        }
        return update;
    }

    /**
     * <b>Release</b>: no owner, no timeout, the next counter, so that others may take the lease at once. On condition
     * that {@code holder} is still the owner, and, for a row this worker holds as seen, that it is still that version.
     *
     * @param seenOwn the row as this worker last took or renewed it, or {@code null} when it has no such view
     */
    static ConditionalUpdate release(@Nullable Observation seenOwn, String holder) {
        ConditionalUpdate update = new ConditionalUpdate()
                .remove(OWNER).remove(TIMEOUT)
                .set(COUNTER + " = if_not_exists(" + COUNTER + ", :zero) + :one")
                .value(":zero", number(0)).value(":one", number(1))
                .condition(OWNER + " = :holder").value(":holder", string(holder));
        if (seenOwn != null) {
            sameVersion(update, seenOwn);
        }
        return update;
    }

    /**
     * <b>Claim</b>: marks the row with {@code claimant}, asking the owner to hand it over. On condition that no claim
     * stands (or only the expired one seen, on the version seen), and that the owner is still the one the claimant
     * expects ({@code null}: no owner).
     */
    static ConditionalUpdate claim(Observation seen, String claimant, @Nullable String expectedOwner, boolean claimExpired) {
        ConditionalUpdate update = new ConditionalUpdate()
                .set(CLAIM + " = :claimant").value(":claimant", string(claimant));
        if (seen != null && seen.lease().hasClaim() && claimExpired) {
            update.condition("attribute_not_exists(" + CLAIM + ") OR (" + CLAIM + " = :expiredClaim AND "
                    + COUNTER + " = :seenCounter)")
                    .value(":expiredClaim", string(seen.lease().claimRequest()))
                    .value(":seenCounter", number(seen.lease().leaseCounter()));
        }
        else {
            update.condition("attribute_not_exists(" + CLAIM + ")");
        }
        if (expectedOwner == null) {
            noOwner(update, seen);
        }
        else {
            update.condition(OWNER + " = :expectedOwner").value(":expectedOwner", string(expectedOwner));
        }
        return update;
    }

    /**
     * <b>Import</b> of another library's progress: the checkpoint (or, for a shard not started, where to start), with no
     * owner, claim, reset or starting position of before. With {@code replacing == null}, on condition that no worker of
     * this group ever took or checkpointed the row (UpdateItem creates a missing row); else on condition that it still
     * has the owner and version read, and the version moves on, so that the owner's later writes are refused.
     */
    static ConditionalUpdate importCheckpoint(ImportedCheckpoint imported, @Nullable Lease replacing) {
        ConditionalUpdate update = new ConditionalUpdate().remove(OWNER).remove(TIMEOUT).remove(CLAIM).remove(OWNER_EPOCH)
                .remove(RESET_TO).remove(RESET_ID).remove(RESET_BY).remove(RESET_AT);
        if (imported.checkpoint() != null) {
            update.set(CHECKPOINT + " = :checkpoint").value(":checkpoint", string(imported.checkpoint()));
        }
        else {
            update.remove(CHECKPOINT);
        }
        if (imported.subSequenceNumber() != null) {
            update.set(SUB_SEQUENCE + " = :subSequence").value(":subSequence", number(imported.subSequenceNumber()));
        }
        else {
            update.remove(SUB_SEQUENCE);
        }
        if (imported.startingPosition() != null) {
            update.set(STARTING_POSITION + " = :startingPosition")
                    .value(":startingPosition", string(imported.startingPosition().toString()));
        }
        else {
            update.remove(STARTING_POSITION);
        }
        parent(update, imported.parentShardId());
        if (replacing == null) {
            update.condition("attribute_not_exists(" + COUNTER + ")").condition("attribute_not_exists(" + CHECKPOINT + ")")
                    .condition("attribute_not_exists(" + STARTING_POSITION + ")");
            return update;
        }
        if (replacing.leaseCounter() > 0) {
            update.set(COUNTER + " = " + COUNTER + " + :one").value(":one", number(1))
                    .condition(COUNTER + " = :seenCounter").value(":seenCounter", number(replacing.leaseCounter()));
        }
        else {
            update.condition("attribute_not_exists(" + COUNTER + ")");
        }
        if (replacing.owner() == null) {
            update.condition("attribute_not_exists(" + OWNER + ")");
        }
        else {
            update.condition(OWNER + " = :seenOwner").value(":seenOwner", string(replacing.owner()));
        }
        return update;
    }

    /**
     * <b>Withdraw a claim</b>: the claimant is stopping, so the shard is to stay with its owner (or, released to the
     * claimant already, be free for anybody at once). On condition that the claim standing is still this claimant's.
     */
    static ConditionalUpdate withdrawClaim(String claimant) {
        return new ConditionalUpdate().remove(CLAIM)
                .condition(CLAIM + " = :claimant").value(":claimant", string(claimant));
    }

    /** No reset stands on the row. */
    private static void noReset(ConditionalUpdate update) {
        update.condition("attribute_not_exists(" + RESET_ID + ")");
    }

    /** Applies the reset seen: its position replaces the checkpoint; the reset goes, on condition it is still the one seen. */
    private static void applyReset(ConditionalUpdate update, PendingReset reset) {
        update.set(STARTING_POSITION + " = :startingPosition")
                .value(":startingPosition", string(reset.to().toString()))
                .remove(CHECKPOINT).remove(SUB_SEQUENCE)
                .remove(RESET_TO).remove(RESET_ID).remove(RESET_BY).remove(RESET_AT)
                .condition(RESET_ID + " = :seenResetId").value(":seenResetId", string(reset.id()));
    }

    private static void parent(ConditionalUpdate update, @Nullable String parentShardId) {
        if (parentShardId != null) {
            update.set(PARENT + " = :parent").value(":parent", string(parentShardId));
        }
    }

    /** Only {@code writer}, the claimant, may pass a standing claim; anybody may pass an expired one. The claim goes. */
    private static void onlyClaimantPasses(ConditionalUpdate update, Lease seen, String writer, boolean claimExpired) {
        String condition = "attribute_not_exists(" + CLAIM + ") OR " + CLAIM + " = :newOwner";
        update.value(":newOwner", string(writer));
        if (seen != null && seen.hasClaim() && claimExpired) {
            condition += " OR " + CLAIM + " = :expiredClaim";
            update.value(":expiredClaim", string(seen.claimRequest()));
        }
        update.condition(condition).remove(CLAIM);
    }

    /**
     * No owner, as seen: no {@code AssignedTo}, or the empty one the Go library leaves when one of its checkpoints lands
     * after its release. One clause either way (dynalite is measurably slower to parse an OR); a row that changed
     * from one to the other since fails the condition and is read again.
     */
    private static void noOwner(ConditionalUpdate update, Observation seen) {
        if (seen != null && seen.ownerBlank()) {
            update.condition(OWNER + " = :noOwner").value(":noOwner", string(""));
        }
        else {
            update.condition("attribute_not_exists(" + OWNER + ")");
        }
    }

    /** The version seen: the same counter, or for a row of the Go library (no counter), the same timeout string. */
    private static void sameVersion(ConditionalUpdate update, Observation seen) {
        if (seen.lease().leaseCounter() > 0) {
            update.condition(COUNTER + " = :seenCounter").value(":seenCounter", number(seen.lease().leaseCounter()));
        }
        else {
            update.condition("attribute_not_exists(" + COUNTER + ")");
            update.condition(seen.timeoutText() == null ? "attribute_not_exists(" + TIMEOUT + ")" : TIMEOUT + " = :seenTimeout");
            if (seen.timeoutText() != null) {
                update.value(":seenTimeout", string(seen.timeoutText()));
            }
        }
    }
}
