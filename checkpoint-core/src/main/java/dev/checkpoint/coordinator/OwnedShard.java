package dev.checkpoint.coordinator;

import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.LeaseLostException;
import org.jspecify.annotations.Nullable;

/**
 * A shard whose lease this worker holds, as the listener sees it. Thread-safe.
 */
public final class OwnedShard {

    private final String shardId;
    private final Set<String> parentIds;
    private final @Nullable String checkpoint;
    private final BiConsumer<OwnedShard, String> writer;
    private final Consumer<OwnedShard> releaser;
    private final BooleanSupplier leaseValid;
    private volatile boolean held = true;

    OwnedShard(String shardId, Set<String> parentIds, @Nullable String checkpoint, BiConsumer<OwnedShard, String> writer,
            Consumer<OwnedShard> releaser, BooleanSupplier leaseValid) {
        this.shardId = shardId;
        this.parentIds = Set.copyOf(parentIds);
        this.checkpoint = checkpoint;
        this.writer = writer;
        this.releaser = releaser;
        this.leaseValid = leaseValid;
    }

    public String shardId() {
        return shardId;
    }

    public Set<String> parentIds() {
        return parentIds;
    }

    /** The checkpoint stored when the lease was gained: where to resume, or {@code null} to start at the beginning. */
    public @Nullable String checkpoint() {
        return checkpoint;
    }

    /**
     * Whether this worker still holds the lease: it was not lost or released, and its last renewal, counted from
     * when it was sent, is less than a lease duration old. Turns false the moment another worker could take it.
     */
    public boolean isHeld() {
        return held && leaseValid.getAsBoolean();
    }

    /**
     * Records progress: one fenced write. Checkpointing {@link CheckpointConstants#SHARD_END} marks the shard
     * finished, releases its lease, and lets its children start.
     *
     * @throws LeaseLostException when this worker no longer holds the lease; the checkpoint is not stored
     */
    public void checkpoint(String sequenceNumber) {
        if (!isHeld()) {
            throw new LeaseLostException(shardId, "the lease on shard " + shardId + " is no longer held by this worker");
        }
        writer.accept(this, sequenceNumber);
    }

    /**
     * Gives the shard back, for example when it cannot be processed here: the lease is released at once, so that
     * another worker takes it, and this worker leaves it alone for one sync interval. Checkpoint what was done first.
     * {@link LeaseListener#leaseEnding} is not called. Does nothing when the lease is no longer held.
     */
    public void release() {
        if (held) {
            releaser.accept(this);
        }
    }

    void markNotHeld() {
        held = false;
    }

    @Override
    public String toString() {
        return "OwnedShard{" + shardId + (held ? "" : ", not held") + '}';
    }
}
