package dev.checkpoint.actuate;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import dev.checkpoint.coordinator.RenewalThreads;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of the threads that renew this worker's leases, read from the coordinator when they are:
 * <ul>
 * <li>{@code checkpoint.renewal.threads}: gauge of the renewal pool's size (platform), or of the virtual threads
 * renewing now;</li>
 * <li>{@code checkpoint.renewals.running} and {@code checkpoint.renewals.queued}: gauges of renewals running, and
 * waiting for a thread;</li>
 * <li>{@code checkpoint.renewals.waited}: counter of renewals that found no thread free and waited for one.</li>
 * <li>{@code checkpoint.renewals.late}: counter of renewals that started after half of their time to their lease's
 * deadline had gone: DynamoDB or this process not keeping up, before a lease is lost.</li>
 * </ul>
 * All read 0 while no coordinator runs.
 */
public class RenewalThreadsMetrics implements MeterBinder {

    private final Supplier<@Nullable RenewalThreads> threads;

    /** @param threads the coordinator's renewal threads now, or {@code null} when none runs */
    public RenewalThreadsMetrics(Supplier<@Nullable RenewalThreads> threads) {
        this.threads = threads;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "checkpoint.renewal.threads", "Threads that renew this worker's leases", RenewalThreads::threads);
        gauge(registry, "checkpoint.renewals.running", "Renewals running now", RenewalThreads::running);
        gauge(registry, "checkpoint.renewals.queued", "Renewals waiting for a thread now", RenewalThreads::queued);
        FunctionCounter.builder("checkpoint.renewals.waited", this, metrics -> metrics.read(RenewalThreads::waitedForAThread))
                .description("Renewals that found no thread free and waited for one").register(registry);
        FunctionCounter.builder("checkpoint.renewals.late", this, metrics -> metrics.read(RenewalThreads::startedLate))
                .description("Renewals that started after half of their time to the lease's deadline had gone")
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<RenewalThreads> value) {
        Gauge.builder(name, this, metrics -> metrics.read(value)).description(description).register(registry);
    }

    private double read(ToDoubleFunction<RenewalThreads> value) {
        RenewalThreads now = threads.get();
        return now == null ? 0 : value.applyAsDouble(now);
    }
}
