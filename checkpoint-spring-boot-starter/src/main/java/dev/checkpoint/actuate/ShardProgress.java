package dev.checkpoint.actuate;

import java.util.Map;

/**
 * What this worker's processing has done on each shard it holds (records, lag, last checkpoint), shown beside each
 * lease at {@code /actuator/leases}. The Kinesis consumer provides one.
 */
@FunctionalInterface
public interface ShardProgress {

    /** By shard id; values are serialised as they are. */
    Map<String, ?> byShard();
}
