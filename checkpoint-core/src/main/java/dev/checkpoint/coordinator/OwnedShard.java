package dev.checkpoint.coordinator;

import java.util.Set;
import java.util.function.BiConsumer;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.LeaseLostException;

/**
 * A shard whose lease this worker holds, as the listener sees it. Thread-safe.
 */
public final class OwnedShard {

    private final String shardId;
    private final Set<String> parentIds;
    private final String checkpoint;
    private final BiConsumer<OwnedShard, String> writer;
    private volatile boolean held = true;

    OwnedShard(String shardId, Set<String> parentIds, String checkpoint, BiConsumer<OwnedShard, String> writer) {
        this.shardId = shardId;
        this.parentIds = Set.copyOf(parentIds);
        this.checkpoint = checkpoint;
        this.writer = writer;
    }

    public String shardId() {
        return shardId;
    }

    public Set<String> parentIds() {
        return parentIds;
    }

    /** The checkpoint stored when the lease was gained: where to resume, or {@code null} to start at the beginning. */
    public String checkpoint() {
        return checkpoint;
    }

    /** Whether this worker still holds the lease. Turns false at once when the lease is lost or released. */
    public boolean isHeld() {
        return held;
    }

    /**
     * Records progress: one fenced write. Checkpointing {@link CheckpointConstants#SHARD_END} marks the shard
     * finished, releases its lease, and lets its children start.
     *
     * @throws LeaseLostException when this worker no longer holds the lease; the checkpoint is not stored
     */
    public void checkpoint(String sequenceNumber) {
        if (!held) {
            throw new LeaseLostException(shardId, "the lease on shard " + shardId + " is no longer held by this worker");
        }
        writer.accept(this, sequenceNumber);
    }

    void markNotHeld() {
        held = false;
    }

    @Override
    public String toString() {
        return "OwnedShard{" + shardId + (held ? "" : ", not held") + '}';
    }
}
