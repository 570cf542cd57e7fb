package dev.checkpoint;

/** A row of the lease table cannot be read: an attribute has the wrong type or an unreadable value. */
public class MalformedLeaseException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    private final String attribute;

    public MalformedLeaseException(String shardId, String attribute, String problem) {
        super(shardId, "malformed lease row for shard " + shardId + ": attribute " + attribute + " " + problem);
        this.attribute = attribute;
    }

    /** The attribute that could not be read. */
    public String getAttribute() {
        return attribute;
    }
}
