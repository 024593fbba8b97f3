package org.heroesinwaiting.server;

import static java.util.Objects.requireNonNull;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.classroom.Classrooms;
import org.heroesinwaiting.core.classroom.StudentSessions;
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.persistence.auth.DatabaseAdministration;
import org.heroesinwaiting.server.health.HealthCheck;
import org.heroesinwaiting.server.http.Controller;

/**
 * What {@link HeroesServer#create} wires into the HTTP app. A service left {@code null} leaves its
 * routes out (tests of the HTTP frame).
 *
 * @param metrics the registry {@code /metrics} exposes and requests are timed into
 * @param healthChecks the parts {@code /health} reports on
 * @param controllers the features' endpoints
 * @param accounts adults' accounts and sessions, or {@code null} for a server without them (tests
 *     of the HTTP frame): then only public routes can be called
 * @param administration what admins do, or {@code null} when {@code accounts} is
 * @param classrooms facilitators' classrooms, or {@code null}
 * @param students students' joins and tokens, or {@code null}
 * @param curriculum the curriculum, or {@code null}
 */
public record ServerServices(PrometheusMeterRegistry metrics, List<HealthCheck> healthChecks, List<Controller> controllers,
        FacilitatorAccounts accounts, DatabaseAdministration administration, Classrooms classrooms, StudentSessions students,
        Curriculum curriculum) {

    /** Validates and copies. */
    public ServerServices {
        requireNonNull(metrics, "metrics");
        healthChecks = List.copyOf(healthChecks);
        controllers = List.copyOf(controllers);
    }

    /**
     * Without classrooms, students and the curriculum.
     *
     * @param metrics the registry
     * @param healthChecks the health checks
     * @param controllers the features' endpoints
     * @param accounts adults' accounts, or {@code null}
     * @param administration what admins do, or {@code null}
     */
    public ServerServices(PrometheusMeterRegistry metrics, List<HealthCheck> healthChecks, List<Controller> controllers,
            FacilitatorAccounts accounts, DatabaseAdministration administration) {
        this(metrics, healthChecks, controllers, accounts, administration, null, null, null);
    }
}
