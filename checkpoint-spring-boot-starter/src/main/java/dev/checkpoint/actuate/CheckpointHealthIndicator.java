package dev.checkpoint.actuate;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.checkpoint.CheckpointException;
import dev.checkpoint.CheckpointerStatus;
import dev.checkpoint.coordinator.LeaseCoordinator;
import dev.checkpoint.LeaseTableView;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * UP when the lease table is reachable and ACTIVE and this worker's renewals are succeeding. One DescribeTable
 * per check, bounded by the request timeout and not retried: a failure of it is reported as DOWN.
 */
public class CheckpointHealthIndicator extends AbstractHealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(CheckpointHealthIndicator.class);

    private final LeaseTableView leases;
    private final @Nullable LeaseCoordinator coordinator;
    private final AtomicBoolean reportedUnreachable = new AtomicBoolean();

    /** @param coordinator the coordinator, whose view is added to the details, or {@code null} when there is none */
    public CheckpointHealthIndicator(LeaseTableView leases, @Nullable LeaseCoordinator coordinator) {
        super("Checkpoint health check failed");
        this.leases = leases;
        this.coordinator = coordinator;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        CheckpointerStatus status = leases.status();
        builder.withDetail("table", status.tableName())
                .withDetail("workerId", status.workerId())
                .withDetail("leasesOwned", status.heldLeases().size())
                .withDetail("lastSyncAge", describe(status.sinceLastScan()))
                .withDetail("lastRenewalAge", describe(status.sinceLastRenewal()));
        if (coordinator != null) {
            builder.withDetail("coordinator", CoordinatorDescriptor.of(coordinator));
        }
        String table;
        try {
            table = leases.tableStatus();
        }
        catch (CheckpointException failure) {
            builder.down().withDetail("reason", "DynamoDB did not answer").withDetail("error", failure.getMessage());
            reportOnce(failure);
            return;
        }
        reportedUnreachable.set(false);
        if (table == null) {
            builder.down().withDetail("reason", "lease table " + status.tableName() + " does not exist");
        }
        else if (!"ACTIVE".equals(table) && !"UPDATING".equals(table)) {
            builder.down().withDetail("reason", "lease table " + status.tableName() + " is " + table);
        }
        else if (status.renewalsFailingFor() != null
                && status.renewalsFailingFor().compareTo(leases.leaseDuration()) > 0) {
            builder.down().withDetail("reason", "lease renewals have been failing for "
                    + describe(status.renewalsFailingFor()) + ", longer than the lease duration");
        }
        else {
            builder.up();
        }
    }

    /** A warning when DynamoDB stops answering, not at every check while it stays away (probes come often). */
    private void reportOnce(CheckpointException failure) {
        if (reportedUnreachable.compareAndSet(false, true)) {
            log.warn("Checkpoint health is DOWN: {}", failure.getMessage());
        }
        else {
            log.debug("Checkpoint health is still DOWN: {}", failure.getMessage());
        }
    }

    static String describe(@Nullable Duration age) {
        return age == null ? "never" : age.toMillis() + "ms";
    }
}
