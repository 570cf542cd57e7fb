package dev.checkpoint;

import org.jspecify.annotations.Nullable;

/**
 * A consumer group of a shared lease table is bound to another stream than this worker's: another application chose
 * the same group name, or the stream was deleted and created again under its name (its checkpoints belong to the old
 * one). The worker stops before writing anything.
 */
public class StreamIdentityMismatchException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    private final String group;
    private final String bound;
    private final String given;

    public StreamIdentityMismatchException(String table, @Nullable String group, String bound, String given) {
        super(null, "consumer group " + group + " of lease table " + table + " consumes stream " + bound
                + ", not " + given + ": another application uses the same group name, or the stream was created again");
        this.group = String.valueOf(group);
        this.bound = bound;
        this.given = given;
    }

    /** The consumer group. */
    public String getGroup() {
        return group;
    }

    /** The stream the group is bound to in the table. */
    public String getBoundStream() {
        return bound;
    }

    /** The stream this worker reads. */
    public String getGivenStream() {
        return given;
    }
}
