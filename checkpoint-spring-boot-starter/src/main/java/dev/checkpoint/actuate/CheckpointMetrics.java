package dev.checkpoint.actuate;

import java.time.Duration;
import java.util.function.Supplier;

import dev.checkpoint.CheckpointListener;
import dev.checkpoint.CheckpointOperation;
import dev.checkpoint.PendingReset;
import dev.checkpoint.ResetReceipt;
import dev.checkpoint.RequestOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters under {@code checkpoint.*}, fed by the checkpointer's listener:
 * <ul>
 * <li>{@code checkpoint.leases.owned}: gauge of the leases this worker holds;</li>
 * <li>{@code checkpoint.leases.acquired}, {@code .stolen} (taken by claim), {@code .lost}, {@code .released}: counters;</li>
 * <li>{@code checkpoint.resets}: counter of operators' resets, tagged {@code stage}: {@code requested} (written on a row
 * by this application) or {@code applied} (a take of this worker started the shard again from the reset);</li>
 * <li>{@code checkpoint.writes}: timer of checkpoint writes, tagged {@code outcome} accepted or refused;</li>
 * <li>{@code checkpoint.dynamodb.requests}: timer of DynamoDB requests, tagged {@code operation} and {@code outcome}
 * ({@code success}, {@code condition_failed}, {@code throttled}, {@code error}): throttling is
 * {@code outcome=throttled} there, not a meter of its own.</li>
 * </ul>
 */
public class CheckpointMetrics implements MeterBinder, CheckpointListener {

    private final Supplier<Integer> leasesOwned;
    private volatile MeterRegistry registry;

    /** @param leasesOwned the number of leases this worker holds, read when the gauge is */
    public CheckpointMetrics(Supplier<Integer> leasesOwned) {
        this.leasesOwned = leasesOwned;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("checkpoint.leases.owned", leasesOwned, owned -> owned.get())
                .description("Leases this worker holds").register(registry);
        this.registry = registry;
    }

    @Override
    public void requestCompleted(CheckpointOperation operation, RequestOutcome outcome, Duration latency) {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        Timer.builder("checkpoint.dynamodb.requests").description("DynamoDB requests, retries included")
                .tag("operation", operation.tag()).tag("outcome", outcome.tag()).register(meters).record(latency);
    }

    @Override
    public void leaseAcquired(String shardId, String previousOwner, boolean claimed) {
        count("checkpoint.leases.acquired", "Leases this worker took");
        if (claimed) {
            count("checkpoint.leases.stolen", "Leases this worker took by claim from a busier worker");
        }
    }

    @Override
    public void leaseLost(String shardId) {
        count("checkpoint.leases.lost", "Leases this worker found taken by another worker");
    }

    @Override
    public void leaseReleased(String shardId) {
        count("checkpoint.leases.released", "Leases this worker released");
    }

    @Override
    public void checkpointWritten(String shardId, Duration latency, boolean accepted) {
        MeterRegistry meters = registry;
        if (meters != null) {
            Timer.builder("checkpoint.writes").description("Checkpoint writes")
                    .tag("outcome", accepted ? "accepted" : "refused").register(meters).record(latency);
        }
    }

    @Override
    public void resetRequested(ResetReceipt receipt) {
        count("checkpoint.resets", "Resets of a shard's checkpoint", "stage", "requested");
    }

    @Override
    public void resetApplied(String shardId, PendingReset reset) {
        count("checkpoint.resets", "Resets of a shard's checkpoint", "stage", "applied");
    }

    private void count(String name, String description, String... tags) {
        MeterRegistry meters = registry;
        if (meters != null) {
            Counter.builder(name).description(description).tags(tags).register(meters).increment();
        }
    }
}
