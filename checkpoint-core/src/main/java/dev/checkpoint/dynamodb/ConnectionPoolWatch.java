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
 * too small for the load, shared by renewals and checkpoints, delays renewals behind checkpoints; a renewal client
 * ({@link DynamoDbCheckpointer.Builder#renewalClient}) too small for the renewal threads delays renewals behind each
 * other. A client whose HTTP implementation reports no pool metrics is never reported.
 */
final class ConnectionPoolWatch implements MetricPublisher {

    private static final Logger log = LoggerFactory.getLogger(ConnectionPoolWatch.class);
    static final int SAMPLE_EVERY = 16;

    /** Which requests the watched client serves. */
    enum Serves {
        /** Renewals and heartbeats beside checkpoints, syncs and takes: the checkpointer's only client. */
        EVERYTHING,
        /** Checkpoints, syncs and takes: renewals and heartbeats have a client of their own. */
        ALL_BUT_RENEWALS,
        /** Renewals and heartbeats alone. */
        RENEWALS
    }

    private final String tableName;
    private final Serves serves;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicBoolean reported = new AtomicBoolean();

    ConnectionPoolWatch(String tableName, Serves serves) {
        this.tableName = tableName;
        this.serves = serves;
    }

    /** Whether the next request is watched: the first {@value #SAMPLE_EVERY}, then one in that many, until reported. */
    boolean watchNext() {
        long n = requests.getAndIncrement();
        return !reported.get() && (n < SAMPLE_EVERY || n % SAMPLE_EVERY == 0);
    }

    @Override
    public void publish(MetricCollection metrics) {
        int waiting = most(metrics, HttpMetric.PENDING_CONCURRENCY_ACQUIRES);
        if (waiting == 0 || !reported.compareAndSet(false, true)) {
            return;
        }
        int connections = most(metrics, HttpMetric.MAX_CONCURRENCY);
        switch (serves) {
            case EVERYTHING -> log.warn("The DynamoDB client of lease table {} has too few connections for the load: {} "
                    + "requests waited for one of its {} connections, and renewals wait there behind checkpoints. Give the "
                    + "client a connection for every renewal thread (checkpoint.coordinator.max-renewal-threads, "
                    + "LeaseCoordinator.Builder.maxRenewalThreads) and room for checkpoints: the starter's own client takes "
                    + "checkpoint.dynamodb.max-connections; an application's client, its HTTP client's maxConnections. "
                    + "Said once.", tableName, waiting, connections);
            case ALL_BUT_RENEWALS -> log.warn("The DynamoDB client of lease table {} has too few connections for the "
                    + "load: {} checkpoints, syncs or takes waited for one of its {} connections (renewals have a client "
                    + "of their own and do not wait there). The starter's own client takes checkpoint.dynamodb."
                    + "max-connections; an application's client, its HTTP client's maxConnections. Said once.", tableName,
                    waiting, connections);
            case RENEWALS -> log.warn("The renewal client of lease table {} has too few connections: {} renewals or "
                    + "heartbeats waited for one of its {} connections. Give it a connection for every renewal thread "
                    + "(checkpoint.coordinator.max-renewal-threads, LeaseCoordinator.Builder.maxRenewalThreads). Said "
                    + "once.", tableName, waiting, connections);
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
