package io.chainring.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Objects;

/**
 * One process's (or one embedded server's) metrics: a Prometheus registry, optionally with the
 * standard JVM meters. Chainring's own meters are named {@code chainring.<process>.<what>} and
 * come out as {@code chainring_<process>_<what>[_total|_seconds|_bytes]}; the standard JVM meters
 * keep their usual names ({@code jvm_*}, {@code process_*}, {@code system_*}) so stock dashboards
 * work. Never put a key or another unbounded value in a tag.
 */
public final class ProcessMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;

    private ProcessMetrics(boolean jvm) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        if (jvm) {
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            gc = new JvmGcMetrics();
            gc.bindTo(registry);
        } else {
            gc = null;
        }
    }

    /** A registry with the JVM's memory, GC, thread, class-loading, CPU and uptime meters. */
    public static ProcessMetrics withJvmMetrics() {
        return new ProcessMetrics(true);
    }

    /** A registry with only what its owner registers (for servers embedded several to a JVM, and tests). */
    public static ProcessMetrics bare() {
        return new ProcessMetrics(false);
    }

    /** Where to register meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Stops the GC listener and closes the registry. */
    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }

    @Override
    public String toString() {
        return "ProcessMetrics(" + Objects.requireNonNull(registry).getMeters().size() + " meters)";
    }
}
