package org.heroesinwaiting.server.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The server's meter registry, scraped as Prometheus text at {@code GET /metrics}, with the JVM's
 * memory, GC, threads, classes, CPU and uptime bound to it.
 */
public final class ServerMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<MeterBinder> bound = new CopyOnWriteArrayList<>();

    /** Binds the JVM meters. */
    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * Binds a part's meters and keeps the part for the registry's life: a gauge holds its object
     * only weakly, and a binder nobody else holds is collected, its gauges then read NaN.
     *
     * @param binder the part's meters
     */
    public void bind(MeterBinder binder) {
        binder.bindTo(registry);
        bound.add(binder);
    }

    /** @return the registry every part of the server records into */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
