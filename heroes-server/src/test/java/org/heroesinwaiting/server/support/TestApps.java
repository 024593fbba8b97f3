package org.heroesinwaiting.server.support;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.ServerServices;
import org.heroesinwaiting.server.config.EnvironmentConfig;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.health.HealthCheck;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.Json;

/** Builds the HTTP app as production does, with test-only routes where a test needs a body or an admin route. */
public final class TestApps {

    private TestApps() {
    }

    /**
     * @param environment variables over the defaults
     * @return the configuration production would read from them
     */
    public static ServerConfig config(Map<String, String> environment) {
        Map<String, String> variables = new HashMap<>(environment);
        variables.putIfAbsent("HEROES_DATA_DIR", System.getProperty("java.io.tmpdir") + "/heroes-test-data");
        // JavalinTest stops the server after each test: waiting for the client's idle connection costs a second
        variables.putIfAbsent("HEROES_DRAIN_TIMEOUT", "PT0S");
        return EnvironmentConfig.read(variables);
    }

    /**
     * @param environment variables over the defaults
     * @param checks health checks
     * @param metrics the registry
     * @return an unstarted app with the echo, boom and admin test routes
     */
    public static Javalin withTestRoutes(Map<String, String> environment, List<HealthCheck> checks, PrometheusMeterRegistry metrics) {
        ServerConfig config = config(environment);
        return HeroesServer.create(config, new ServerServices(metrics, checks, List.of(new TestRoutes(config.http().maxBodyBytes())), null, null));
    }

    /**
     * @param accounts the accounts, as production has them
     * @param administration what admins do, as production has it
     * @param classrooms classrooms, as production has them
     * @param students students' sessions, as production has them
     * @param curriculum the curriculum, as production has it
     * @param features the controllers production passes in
     * @return an unstarted app with exactly the production routes and no health checks
     */
    public static Javalin production(org.heroesinwaiting.core.auth.FacilitatorAccounts accounts,
            org.heroesinwaiting.persistence.auth.DatabaseAdministration administration,
            org.heroesinwaiting.core.classroom.Classrooms classrooms, org.heroesinwaiting.core.classroom.StudentSessions students,
            org.heroesinwaiting.core.curriculum.Curriculum curriculum, List<org.heroesinwaiting.server.http.Controller> features) {
        return HeroesServer.create(config(Map.of()), new ServerServices(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(), features, accounts, administration, classrooms, students, curriculum));
    }

    /**
     * Every production route on one application login, the way {@code ./heroes serve} wires them.
     *
     * @param appLogin the application login
     * @param hashing where password hashing runs
     * @param clock what Java's side counts as now
     * @return an unstarted app with every route of the API
     */
    public static Javalin full(javax.sql.DataSource appLogin, org.heroesinwaiting.core.auth.HashingPool hashing, java.time.Clock clock) {
        return full(appLogin, hashing, clock, org.heroesinwaiting.core.auth.PasswordHasher.standard());
    }

    /**
     * @param appLogin the application login
     * @param hashing where password hashing runs
     * @param clock what Java's side counts as now
     * @param hasher how passwords are hashed
     * @return an unstarted app with every route of the API
     */
    public static Javalin full(javax.sql.DataSource appLogin, org.heroesinwaiting.core.auth.HashingPool hashing, java.time.Clock clock,
            org.heroesinwaiting.core.auth.PasswordHasher hasher) {
        org.heroesinwaiting.persistence.TransactionRunner transactions = new org.heroesinwaiting.persistence.TransactionRunner(
                org.heroesinwaiting.persistence.HeroesJdbi.create(appLogin));
        return production(AuthApps.accounts(appLogin, hashing, hasher), AuthApps.administration(appLogin, hashing, hasher),
                ClassroomApps.classrooms(appLogin, clock), ClassroomApps.students(appLogin),
                new org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum(transactions, clock),
                List.of(new org.heroesinwaiting.server.activity.SessionController(
                                new org.heroesinwaiting.persistence.activity.DatabaseClassroomSessions(transactions, clock), 1 << 20),
                        new org.heroesinwaiting.server.activity.ActivityController(
                                new org.heroesinwaiting.persistence.activity.DatabaseStudentActivity(transactions, clock), 1 << 20),
                        new org.heroesinwaiting.server.activity.ReportController(
                                new org.heroesinwaiting.persistence.activity.DatabaseClassroomReports(transactions))));
    }

    /**
     * A body with every kind of field the API uses.
     *
     * @param name a required string
     * @param count a required integer
     * @param clientTimestamp a time
     * @param answers free-form JSON
     */
    public record Echo(String name, int count, Instant clientTimestamp, JsonObject answers) {
        /** Refuses a missing name, as domain records do. */
        public Echo {
            Objects.requireNonNull(name, "name is required");
        }
    }

    /**
     * @param maxBodyBytes the largest body the echo route reads
     * @return the test-only routes: echo and boom (public), and an admin ping
     */
    public static Controller testRoutes(long maxBodyBytes) {
        return new TestRoutes(maxBodyBytes);
    }

    private record TestRoutes(long maxBodyBytes) implements Controller {
        @Override
        public void routes(RoutesConfig routes) {
            routes.post("/api/v1/test/echo", this::echo);
            routes.get("/api/v1/test/boom", ctx -> {
                throw new IllegalStateException("secret internals at org.example.Thing");
            });
            routes.get("/api/v1/admin/ping", ctx -> ctx.result("pong"));
        }

        @Override
        public java.util.Set<String> publicRoutes() {
            return java.util.Set.of("/api/v1/test/echo", "/api/v1/test/boom");
        }

        private void echo(Context ctx) {
            ctx.json(Json.read(ctx, Echo.class, maxBodyBytes));
        }
    }
}
