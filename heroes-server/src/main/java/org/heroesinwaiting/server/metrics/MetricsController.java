package org.heroesinwaiting.server.metrics;

import static java.util.Objects.requireNonNull;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.heroesinwaiting.server.http.Controller;

/** {@code GET /metrics}: Prometheus text format 0.0.4. */
public final class MetricsController implements Controller {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    /**
     * @param registry what to expose
     */
    public MetricsController(PrometheusMeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
    }

    @Override
    public void routes(RoutesConfig routes) {
        routes.get("/metrics", this::scrape);
    }

    private void scrape(Context ctx) {
        ctx.result(registry.scrape()).contentType(CONTENT_TYPE);
    }
}
