package dev.checkpoint.coordinator;

import java.util.Set;

/** Handles for unit tests of what is built on them, whose checkpoint writes do what the test says. */
public final class OwnedShards {

    /** Writes a checkpoint through a handle. */
    @FunctionalInterface
    public interface Write {

        void write(String sequenceNumber);
    }

    private OwnedShards() {
    }

    /** A held handle of {@code shardId}, with no checkpoint yet, whose writes go to {@code write}. */
    public static OwnedShard writingTo(String shardId, Write write) {
        return new OwnedShard(shardId, Set.of(), null, null, null, (handle, sequenceNumber, sub) -> write.write(sequenceNumber),
                handle -> { }, () -> true);
    }
}
