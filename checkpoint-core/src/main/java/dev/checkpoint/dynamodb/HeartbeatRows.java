package dev.checkpoint.dynamodb;

import static dev.checkpoint.CheckpointConstants.CLAIMS_KEY;
import static dev.checkpoint.CheckpointConstants.EXPIRED_BY_KEY;
import static dev.checkpoint.CheckpointConstants.HANDED_OVER_KEY;
import static dev.checkpoint.CheckpointConstants.HEARTBEAT_AT_KEY;
import static dev.checkpoint.CheckpointConstants.HEARTBEAT_COUNTER_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_CHANGES_KEY;
import static dev.checkpoint.CheckpointConstants.LEASE_KEY_KEY;
import static dev.checkpoint.CheckpointConstants.RENEWAL_MODE_KEY;
import static dev.checkpoint.CheckpointConstants.RESETS_KEY;
import static dev.checkpoint.CheckpointConstants.TABLE_CHANGES_KEY;
import static dev.checkpoint.CheckpointConstants.WORKER_EPOCH_KEY;
import static dev.checkpoint.dynamodb.LeaseSerializer.number;
import static dev.checkpoint.dynamodb.LeaseSerializer.string;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.checkpoint.MalformedLeaseException;
import dev.checkpoint.RenewalMode;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The rows of worker renewal mode besides the leases, and every write to them, with its condition: pure, as
 * {@link LeaseConditions} is for lease rows. Each worker has a heartbeat row, range or hash key
 * {@code #worker#<id>}: its process's epoch, a counter each heartbeat moves, and two mailboxes that the heartbeat's
 * answer brings back ({@code Claims}: shard to claimant; {@code Resets}: reset id to shard). The table's mode is on the
 * row {@code #mode}.
 */
final class HeartbeatRows {

    /** The key prefix of heartbeat rows; no shard id may start with it ({@code ShardStatus.requireShardId}). */
    static final String WORKER_ROW_PREFIX = "#worker#";
    /** The key of the row that says the table is in worker renewal mode. */
    static final String MODE_ROW = "#mode";
    /** The epoch a worker judged dead is left with: no process has it, so every lease naming it is free to take. */
    static final String EXPIRED_EPOCH_PREFIX = "expired:";

    /**
     * A heartbeat row as read.
     *
     * @param workerId the worker
     * @param epoch its process's epoch, or {@code expired:<epoch>} once judged dead
     * @param counter moved by each heartbeat
     * @param claims shard to claimant
     * @param resets reset id to shard
     * @param leaseChanges how many changes of leases the worker had made as of this heartbeat
     * @param handedOver shards stopping workers released for this one to take at once
     */
    record Row(String workerId, String epoch, long counter, Map<String, String> claims, Map<String, String> resets,
            long leaseChanges, Set<String> handedOver) {
    }

    private HeartbeatRows() {
    }

    static String key(String workerId) {
        return WORKER_ROW_PREFIX + workerId;
    }

    /** Whether the row with this key ({@code ShardID}) is no lease: a heartbeat, the mode, a group's own row. */
    static boolean isNoLease(@Nullable String key) {
        return key != null && (isHeartbeat(key) || MODE_ROW.equals(key) || LeaseKeys.GROUP_ROW.equals(key));
    }

    static boolean isHeartbeat(@Nullable String key) {
        return key != null && key.startsWith(WORKER_ROW_PREFIX);
    }

    static Row parse(Map<String, AttributeValue> item) {
        String key = item.get(LEASE_KEY_KEY).s();
        String workerId = key.substring(WORKER_ROW_PREFIX.length());
        AttributeValue epoch = item.get(WORKER_EPOCH_KEY);
        AttributeValue counter = item.get(HEARTBEAT_COUNTER_KEY);
        if (epoch == null || epoch.s() == null) {
            throw new MalformedLeaseException(key, WORKER_EPOCH_KEY, "is missing or not a string: " + item);
        }
        long count;
        try {
            count = counter == null ? 0 : Long.parseLong(counter.n());
        }
        catch (NumberFormatException | NullPointerException notANumber) {
            throw new MalformedLeaseException(key, HEARTBEAT_COUNTER_KEY, "is not a number: " + counter);
        }
        AttributeValue handedOver = item.get(HANDED_OVER_KEY);
        return new Row(workerId, epoch.s(), count, strings(item.get(CLAIMS_KEY)), strings(item.get(RESETS_KEY)),
                numberOf(item, LEASE_CHANGES_KEY),
                handedOver != null && handedOver.hasSs() ? Set.copyOf(handedOver.ss()) : Set.of());
    }

    /** The table's changes, on the mode row: see {@link #bumpTableChanges}. */
    static long tableChanges(Map<String, AttributeValue> modeRow) {
        return numberOf(modeRow, TABLE_CHANGES_KEY);
    }

    private static long numberOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        try {
            return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
        }
        catch (NumberFormatException notANumber) {
            throw new MalformedLeaseException(item.get(LEASE_KEY_KEY).s(), name, "is not a number: " + value);
        }
    }

    private static Map<String, String> strings(@Nullable AttributeValue map) {
        Map<String, String> strings = new HashMap<>();
        if (map != null && map.hasM()) {
            map.m().forEach((name, value) -> {
                if (value.s() != null) {
                    strings.put(name, value.s());
                }
            });
        }
        return strings;
    }

    /** The table's mode, as its mode row ({@code null}: none) says: worker mode once marked, else per lease. */
    static RenewalMode modeOf(@Nullable Map<String, AttributeValue> modeRow) {
        AttributeValue mode = modeRow == null ? null : modeRow.get(RENEWAL_MODE_KEY);
        return mode != null && RenewalMode.WORKER.text().equals(mode.s()) ? RenewalMode.WORKER : RenewalMode.LEASE;
    }

    /**
     * <b>Mode</b>: marks the table as in worker mode (a worker joins), and moves its changes, so that every worker scans
     * the whole table at its next sync.
     */
    static UpdateItemRequest.Builder markWorkerMode(String tableName, Map<String, AttributeValue> key) {
        return UpdateItemRequest.builder().tableName(tableName).key(key)
                .updateExpression("SET #mode = :worker ADD #changes :one")
                .expressionAttributeNames(Map.of("#mode", RENEWAL_MODE_KEY, "#changes", TABLE_CHANGES_KEY))
                .expressionAttributeValues(Map.of(":worker", string(RenewalMode.WORKER.text()), ":one", number(1)));
    }

    /**
     * <b>Table changes</b>: moves the mode row's changes (a worker left, a free lease was reset), so that every worker
     * scans the whole table at its next sync; only in a table in worker mode (the mode row exists).
     */
    static UpdateItemRequest.Builder bumpTableChanges(String tableName, Map<String, AttributeValue> key) {
        return UpdateItemRequest.builder().tableName(tableName).key(key)
                .updateExpression("ADD #changes :one")
                .conditionExpression("attribute_exists(#key)")
                .expressionAttributeNames(Map.of("#changes", TABLE_CHANGES_KEY, "#key", LEASE_KEY_KEY))
                .expressionAttributeValues(Map.of(":one", number(1)));
    }

    /**
     * <b>Register</b>: the worker's row under a new epoch, whatever was there: a process under the same id (one
     * restarted, or still running by mistake) is superseded, and its heartbeats fail from then on. Empty mailboxes, so
     * that claims and resets can be written into them by path.
     */
    static PutItemRequest.Builder register(String tableName, Map<String, AttributeValue> key, String epoch, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put(WORKER_EPOCH_KEY, string(epoch));
        item.put(HEARTBEAT_COUNTER_KEY, number(1));
        item.put(HEARTBEAT_AT_KEY, LeaseSerializer.timeout(now));
        item.put(CLAIMS_KEY, AttributeValue.fromM(Map.of()));
        item.put(RESETS_KEY, AttributeValue.fromM(Map.of()));
        return PutItemRequest.builder().tableName(tableName).item(item);
    }

    /**
     * <b>Heartbeat</b>: moves the counter, on condition that the row still carries this process's epoch; removes the
     * mailbox entries the last heartbeat brought back, which have been acted on (the shards handed over too); records
     * how many changes of leases this worker has made. The row comes back: the mailboxes.
     */
    static UpdateItemRequest.Builder beat(String tableName, Map<String, AttributeValue> key, String epoch, Instant now,
            long leaseChanges, Collection<String> handledClaims, Collection<String> handledResets,
            Collection<String> handedOverTaken) {
        Map<String, String> names = new HashMap<>(Map.of("#epoch", WORKER_EPOCH_KEY, "#counter", HEARTBEAT_COUNTER_KEY,
                "#at", HEARTBEAT_AT_KEY, "#changes", LEASE_CHANGES_KEY));
        StringBuilder removes = new StringBuilder();
        removeEntries(removes, names, "#claims", CLAIMS_KEY, "#c", handledClaims);
        removeEntries(removes, names, "#resets", RESETS_KEY, "#r", handledResets);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", number(1),
                ":at", LeaseSerializer.timeout(now), ":epoch", string(epoch), ":changes", number(leaseChanges)));
        String deletes = "";
        if (!handedOverTaken.isEmpty()) {
            names.put("#handedOver", HANDED_OVER_KEY);
            values.put(":handedOverTaken", AttributeValue.fromSs(List.copyOf(handedOverTaken)));
            deletes = " DELETE #handedOver :handedOverTaken";
        }
        return UpdateItemRequest.builder().tableName(tableName).key(key)
                .updateExpression("SET #counter = #counter + :one, #at = :at, #changes = :changes"
                        + (removes.isEmpty() ? "" : " REMOVE " + removes) + deletes)
                .conditionExpression("#epoch = :epoch")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW);
    }

    private static void removeEntries(StringBuilder removes, Map<String, String> names, String mapName, String map,
            String prefix, Collection<String> entries) {
        int i = 0;
        for (String entry : entries) {
            names.put(mapName, map);
            names.put(prefix + i, entry);
            removes.append(removes.isEmpty() ? "" : ", ").append(mapName).append('.').append(prefix).append(i++);
        }
    }

    /**
     * <b>Expire</b>: marks a worker dead, on condition that its heartbeat is still the version seen standing still for
     * a lease duration ({@code seen == null}: that it still has no row). Its later heartbeats fail, so it has stopped
     * by the time this lands, and every lease naming its epoch may be taken at once.
     */
    static UpdateItemRequest.Builder expire(String tableName, Map<String, AttributeValue> key, @Nullable Row seen,
            String judgedBy) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":expired", string(EXPIRED_EPOCH_PREFIX + (seen == null ? "none" : seen.epoch())));
        values.put(":by", string(judgedBy));
        String condition;
        if (seen == null) {
            condition = "attribute_not_exists(#epoch)";
        }
        else {
            condition = "#epoch = :epoch AND #counter = :counter";
            values.put(":epoch", string(seen.epoch()));
            values.put(":counter", number(seen.counter()));
        }
        return UpdateItemRequest.builder().tableName(tableName).key(key)
                .updateExpression("SET #epoch = :expired, #by = :by")
                .conditionExpression(condition)
                .expressionAttributeNames(seen == null ? Map.of("#epoch", WORKER_EPOCH_KEY, "#by", EXPIRED_BY_KEY)
                        : Map.of("#epoch", WORKER_EPOCH_KEY, "#by", EXPIRED_BY_KEY, "#counter", HEARTBEAT_COUNTER_KEY))
                .expressionAttributeValues(values);
    }

    /**
     * <b>Claim</b>: asks the owner's process, {@code epoch}, to hand the shard over: written into its mailbox, where its
     * next heartbeat finds it; on condition that the process still runs and no claim on the shard stands there.
     */
    static UpdateItemRequest.Builder claim(String tableName, Map<String, AttributeValue> key, String epoch,
            String shardId, String claimant) {
        return UpdateItemRequest.builder().tableName(tableName).key(key)
                .updateExpression("SET #claims.#shard = :claimant")
                .conditionExpression("#epoch = :epoch AND attribute_not_exists(#claims.#shard)")
                .expressionAttributeNames(Map.of("#claims", CLAIMS_KEY, "#shard", shardId, "#epoch", WORKER_EPOCH_KEY))
                .expressionAttributeValues(Map.of(":claimant", string(claimant), ":epoch", string(epoch)));
    }

    /**
     * <b>Hand over</b>: tells the worker that a stopping worker released the shard for it to take at once; its next
     * heartbeat brings the note back. On condition that the worker has a row.
     */
    static UpdateItemRequest.Builder handOverNote(String tableName, Map<String, AttributeValue> key, String shardId) {
        return UpdateItemRequest.builder().tableName(tableName).key(key)
                .updateExpression("ADD #handedOver :shards")
                .conditionExpression("attribute_exists(#epoch)")
                .expressionAttributeNames(Map.of("#handedOver", HANDED_OVER_KEY, "#epoch", WORKER_EPOCH_KEY))
                .expressionAttributeValues(Map.of(":shards", AttributeValue.fromSs(List.of(shardId))));
    }

    /**
     * <b>Withdraw a claim</b>: takes the claimant's claim on the shard back out of the owner's mailbox, so that its next
     * heartbeat does not hand the shard over; on condition that the claim there is still this claimant's.
     */
    static UpdateItemRequest.Builder withdrawClaim(String tableName, Map<String, AttributeValue> key, String shardId,
            String claimant) {
        return UpdateItemRequest.builder().tableName(tableName).key(key)
                .updateExpression("REMOVE #claims.#shard")
                .conditionExpression("#claims.#shard = :claimant")
                .expressionAttributeNames(Map.of("#claims", CLAIMS_KEY, "#shard", shardId))
                .expressionAttributeValues(Map.of(":claimant", string(claimant)));
    }

    /** <b>Reset notice</b>: tells the owner's process, {@code epoch}, at its next heartbeat, that the shard was reset. */
    static UpdateItemRequest.Builder resetNotice(String tableName, Map<String, AttributeValue> key, String epoch,
            String resetId, String shardId) {
        return UpdateItemRequest.builder().tableName(tableName).key(key)
                .updateExpression("SET #resets.#id = :shard")
                .conditionExpression("#epoch = :epoch")
                .expressionAttributeNames(Map.of("#resets", RESETS_KEY, "#id", resetId, "#epoch", WORKER_EPOCH_KEY))
                .expressionAttributeValues(Map.of(":shard", string(shardId), ":epoch", string(epoch)));
    }

    /** <b>Leave</b>, or sweep: deletes a heartbeat row, on condition that it is still the version given. */
    static DeleteItemRequest.Builder delete(String tableName, Map<String, AttributeValue> key, String epoch,
            @Nullable Long counter) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":epoch", string(epoch)));
        String condition = "#epoch = :epoch";
        Map<String, String> names = new HashMap<>(Map.of("#epoch", WORKER_EPOCH_KEY));
        if (counter != null) {
            condition += " AND #counter = :counter";
            values.put(":counter", number(counter));
            names.put("#counter", HEARTBEAT_COUNTER_KEY);
        }
        return DeleteItemRequest.builder().tableName(tableName).key(key).conditionExpression(condition)
                .expressionAttributeNames(names).expressionAttributeValues(values);
    }
}
