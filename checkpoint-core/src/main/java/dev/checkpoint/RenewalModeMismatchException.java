package dev.checkpoint;

/**
 * The lease table is in the other renewal mode than this worker's: its workers renew each a heartbeat row
 * ({@link RenewalMode#WORKER}) and this one would renew each lease, or the other way round. A worker of the other mode
 * would judge live leases expired, so it stops before it takes anything.
 */
public class RenewalModeMismatchException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    private final RenewalMode tableMode;
    private final RenewalMode workerMode;

    public RenewalModeMismatchException(String table, RenewalMode tableMode, RenewalMode workerMode, String detail) {
        super(null, "lease table " + table + " is in " + tableMode.text() + " renewal mode, and this worker is in "
                + workerMode.text() + " renewal mode (" + detail + "): give every worker of the table the same "
                + "checkpoint.renewal-mode");
        this.tableMode = tableMode;
        this.workerMode = workerMode;
    }

    /** The mode of the table's workers. */
    public RenewalMode getTableMode() {
        return tableMode;
    }

    /** The mode of this worker. */
    public RenewalMode getWorkerMode() {
        return workerMode;
    }
}
