package org.heroesinwaiting.server;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.persistence.auth.DatabaseAdministration;
import org.heroesinwaiting.server.health.HealthCheck;
import org.heroesinwaiting.server.http.Controller;

/**
 * What {@link HeroesServer#create} wires into the HTTP app.
 *
 * @param metrics the registry {@code /metrics} exposes and requests are timed into
 * @param healthChecks the parts {@code /health} reports on
 * @param controllers the features' endpoints
 * @param accounts adults' accounts and sessions, or {@code null} for a server without them (tests
 *     of the HTTP frame): then only public routes can be called
 * @param administration what admins do, or {@code null} when {@code accounts} is
 */
public record ServerServices(PrometheusMeterRegistry metrics, List<HealthCheck> healthChecks, List<Controller> controllers,
        FacilitatorAccounts accounts, DatabaseAdministration administration) {

    /** Validates and copies. */
    public ServerServices {
        requireNonNull(metrics, "metrics");
        healthChecks = List.copyOf(healthChecks);
        controllers = List.copyOf(controllers);
    }
}
