package dev.checkpoint.benchmarks;

/**
 * One operation of one contender, run by several threads at once. Only {@link #timed} is timed and counted;
 * {@link #before} and {@link #after} put the lease in the state the timed call needs (a take needs a free lease,
 * a release a held one). Each thread works on its own lease, so threads never contend for a row.
 */
interface Op {

    /** Makes thread {@code thread}'s lease; not timed. */
    default void setUp(int thread) throws Exception {
    }

    default void before(int thread) throws Exception {
    }

    void timed(int thread) throws Exception;

    default void after(int thread) throws Exception {
    }
}
