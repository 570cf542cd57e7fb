package dev.checkpoint;

import java.time.Duration;

/**
 * The store's operations on a {@link ShardStatus}, as the tests written against the seed's object call them: the
 * contract itself takes and returns values.
 */
public final class StoreCalls {

    /** Longer than any test: a checkpoint that is not given up on. */
    private static final Duration NO_DEADLINE = Duration.ofMinutes(5);

    private StoreCalls() {
    }

    /** Takes the lease, and fills {@code shard} from the row as written. */
    public static void take(LeaseStore store, ShardStatus shard) {
        shard.update(store.take(shard.getId(), shard.getParentShardId()));
    }

    public static void checkpoint(LeaseStore store, ShardStatus shard) {
        checkpoint(store, shard, NO_DEADLINE);
    }

    public static void checkpoint(LeaseStore store, ShardStatus shard, Duration timeLeft) {
        store.checkpoint(shard.getId(), shard.getCheckpoint(), shard.getCheckpointSubSequenceNumber(), timeLeft);
    }

    /** Claims the shard from {@code shard.getLeaseOwner()}. */
    public static void claim(LeaseStore store, ShardStatus shard) {
        store.claim(shard.getId(), shard.getLeaseOwner());
    }
}
