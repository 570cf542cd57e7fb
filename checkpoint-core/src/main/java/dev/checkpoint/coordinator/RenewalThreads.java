package dev.checkpoint.coordinator;

/**
 * The threads that renew this worker's leases (or send its heartbeats), as {@code /actuator/leases} shows them.
 *
 * @param model {@code platform}: a pool that grows with the leases held; {@code virtual}: a virtual thread per renewal
 * @param threads the pool's size now (platform), or the virtual threads renewing now
 * @param maxThreads the most platform threads the pool may grow to; {@code 0} with virtual threads, which have no bound
 * @param running renewals running now
 * @param queued renewals waiting for a thread now (always {@code 0} with virtual threads)
 * @param waitedForAThread renewals, since the start, that found no thread free and had to wait for one
 */
public record RenewalThreads(String model, int threads, int maxThreads, int running, int queued, long waitedForAThread) {
}
