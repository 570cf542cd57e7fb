package dev.checkpoint.coordinator;

/**
 * The threads that renew this worker's leases (or send its heartbeats), as {@code /actuator/leases} shows them.
 *
 * @param model {@code platform} or {@code virtual}: the threads of the pool, which grows with the leases held
 * @param threads the pool's size now
 * @param maxThreads the most threads the pool may grow to: the renewals' budget of connections
 * @param running renewals running now
 * @param queued renewals waiting for a thread now
 * @param waitedForAThread renewals, since the start, that found no thread free and had to wait for one
 * @param startedLate renewals, since the start, that started after more than half of their time to their lease's
 *        deadline had gone, waiting for a thread: DynamoDB or this process not keeping up, before a lease is lost
 */
public record RenewalThreads(String model, int threads, int maxThreads, int running, int queued, long waitedForAThread,
        long startedLate) {
}
