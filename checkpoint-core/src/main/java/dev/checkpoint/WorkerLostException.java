package dev.checkpoint;

/**
 * In worker renewal mode, this worker's heartbeat was refused: another process started under the same worker id, or
 * another worker judged this one dead after its heartbeat stood still for a lease duration. Every lease it held is
 * lost; it registers again, under a new epoch, before it takes any.
 */
public class WorkerLostException extends CheckpointException {

    private static final long serialVersionUID = 1L;

    public WorkerLostException(String message) {
        super(null, message);
    }
}
