package org.heroesinwaiting.server;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.heroesinwaiting.server.health.HealthCheck;
import org.heroesinwaiting.server.http.Controller;

/**
 * What {@link HeroesServer#create} wires into the HTTP app.
 *
 * @param metrics the registry {@code /metrics} exposes and requests are timed into
 * @param healthChecks the parts {@code /health} reports on
 * @param controllers the features' endpoints
 */
public record ServerServices(PrometheusMeterRegistry metrics, List<HealthCheck> healthChecks, List<Controller> controllers) {

    /** Validates and copies. */
    public ServerServices {
        requireNonNull(metrics, "metrics");
        healthChecks = List.copyOf(healthChecks);
        controllers = List.copyOf(controllers);
    }
}
