package dev.checkpoint.coordinator;

import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.checkpoint.CheckpointConstants;
import dev.checkpoint.LeaseLostException;
import dev.checkpoint.StartingPosition;
import org.jspecify.annotations.Nullable;

/**
 * A shard whose lease this worker holds, as the listener sees it. Thread-safe.
 */
public final class OwnedShard {

    private final String shardId;
    private final Set<String> parentIds;
    private final @Nullable String checkpoint;
    private final @Nullable Long checkpointSubSequenceNumber;
    private final @Nullable StartingPosition startingPosition;
    private final CheckpointWrite writer;
    private final Consumer<OwnedShard> releaser;
    private final BooleanSupplier leaseValid;
    private volatile boolean held = true;

    /** Writes a checkpoint through a handle. */
    @FunctionalInterface
    interface CheckpointWrite {

        void write(OwnedShard handle, String sequenceNumber, @Nullable Long subSequenceNumber);
    }

    OwnedShard(String shardId, Set<String> parentIds, @Nullable String checkpoint, @Nullable Long checkpointSubSequenceNumber,
            @Nullable StartingPosition startingPosition, CheckpointWrite writer, Consumer<OwnedShard> releaser,
            BooleanSupplier leaseValid) {
        this.shardId = shardId;
        this.parentIds = Set.copyOf(parentIds);
        this.checkpoint = checkpoint;
        this.checkpointSubSequenceNumber = checkpointSubSequenceNumber;
        this.startingPosition = startingPosition;
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
     * With a checkpoint inside an aggregated record: the last user record processed in it, so that reading resumes
     * with the next one. {@code null} when the checkpoint covers the whole record.
     */
    public @Nullable Long checkpointSubSequenceNumber() {
        return checkpointSubSequenceNumber;
    }

    /**
     * Where to start when {@link #checkpoint()} is {@code null}: the position an operator reset the shard to (a
     * timestamp, a sequence number, the trim horizon or the latest record), until the first checkpoint after the reset;
     * {@code null} to start at the application's own initial position.
     */
    public @Nullable StartingPosition startingPosition() {
        return startingPosition;
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
        write(sequenceNumber, null);
    }

    /**
     * Records progress inside an aggregated record (the KPL's): up to and including its user record
     * {@code subSequenceNumber}. One fenced write, as {@link #checkpoint(String)}.
     *
     * @throws LeaseLostException when this worker no longer holds the lease; the checkpoint is not stored
     */
    public void checkpoint(String sequenceNumber, long subSequenceNumber) {
        write(sequenceNumber, subSequenceNumber);
    }

    private void write(String sequenceNumber, @Nullable Long subSequenceNumber) {
        if (!isHeld()) {
            throw new LeaseLostException(shardId, "the lease on shard " + shardId + " is no longer held by this worker");
        }
        writer.write(this, sequenceNumber, subSequenceNumber);
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
