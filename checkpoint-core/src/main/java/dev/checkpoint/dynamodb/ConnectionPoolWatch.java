package dev.checkpoint.dynamodb;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;

/**
 * Watches the DynamoDB client's connection pool through the SDK's request metrics, on the first requests and one in
 * {@value #SAMPLE_EVERY} after them, and says once, as a warning, when requests had to wait for a connection: a pool
 * too small for the load, shared by renewals and checkpoints, delays renewals behind checkpoints. A client whose HTTP
 * implementation reports no pool metrics is never reported.
 */
final class ConnectionPoolWatch implements MetricPublisher {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPoolWatch.class);
    static final int SAMPLE_EVERY = 16;

    private final String tableName;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicBoolean reported = new AtomicBoolean();

    ConnectionPoolWatch(String tableName) {
        this.tableName = tableName;
    }

    /** Whether the next request is watched: the first {@value #SAMPLE_EVERY}, then one in that many, until reported. */
    boolean watchNext() {
        long n = requests.getAndIncrement();
        return !reported.get() && (n < SAMPLE_EVERY || n % SAMPLE_EVERY == 0);
    }

    @Override
    public void publish(MetricCollection metrics) {
        int waiting = most(metrics, HttpMetric.PENDING_CONCURRENCY_ACQUIRES);
        if (waiting > 0 && reported.compareAndSet(false, true)) {
            log.warn("The DynamoDB client of lease table {} has too few connections for the load: {} requests waited for "
                    + "one of its {} connections, and renewals wait there behind checkpoints. Give the client a connection "
                    + "for every renewal thread (checkpoint.coordinator.max-renewal-threads, "
                    + "LeaseCoordinator.Builder.maxRenewalThreads) and room for checkpoints: the starter's own client takes "
                    + "checkpoint.dynamodb.max-connections; an application's client, its HTTP client's maxConnections. "
                    + "Said once.", tableName, waiting, most(metrics, HttpMetric.MAX_CONCURRENCY));
        }
    }

    /** The largest value of {@code metric} in the collection and its children; 0 when it has none. */
    private static int most(MetricCollection metrics, SdkMetric<Integer> metric) {
        int most = metrics.metricValues(metric).stream().mapToInt(Integer::intValue).max().orElse(0);
        for (MetricCollection child : metrics.children()) {
            most = Math.max(most, most(child, metric));
        }
        return most;
    }

    @Override
    public void close() {
    }
}
