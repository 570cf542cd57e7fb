package dev.checkpoint;

/** How one DynamoDB request ended. */
public enum RequestOutcome {

    /** It succeeded. */
    SUCCESS,
    /** Its condition did not hold: another worker won the race, or the row changed. Not an error of DynamoDB. */
    CONDITION_FAILED,
    /** DynamoDB throttled it. */
    THROTTLED,
    /** Any other failure: a timeout, a refused connection, a server error. */
    ERROR;

    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
