package org.heroesinwaiting.server.support;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.config.EnvironmentConfig;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.health.HealthCheck;
import org.heroesinwaiting.server.http.Access;
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
     * The HTTP frame alone (no library), with the test routes.
     *
     * @param environment variables over the defaults
     * @param checks health checks
     * @param metrics the registry
     * @return an unstarted app with the echo, boom and admin test routes
     */
    public static Javalin frame(Map<String, String> environment, List<HealthCheck> checks, PrometheusMeterRegistry metrics) {
        ServerConfig config = config(environment);
        return HeroesServer.builder(config).metrics(metrics).healthChecks(checks).controller(new TestRoutes(config.http().maxBodyBytes()))
                .build();
    }

    /**
     * @param heroes the library
     * @return an unstarted app with exactly the production routes and no health checks
     */
    public static Javalin production(Heroes heroes) {
        return HeroesServer.builder(config(Map.of())).library(heroes).build();
    }

    /**
     * @param environment variables over the defaults
     * @param heroes the library
     * @return an unstarted app with every production route, and the test routes (echo, boom, admin ping)
     */
    public static Javalin app(Map<String, String> environment, Heroes heroes) {
        ServerConfig config = config(environment);
        return HeroesServer.builder(config).library(heroes).controller(new TestRoutes(config.http().maxBodyBytes())).build();
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
            routes.post("/api/v1/test/echo", this::echo, Access.PUBLIC);
            routes.get("/api/v1/test/boom", ctx -> {
                throw new IllegalStateException("secret internals at org.example.Thing");
            }, Access.PUBLIC);
            routes.get("/api/v1/admin/ping", ctx -> ctx.result("pong"), Access.ADMIN);
        }

        private void echo(Context ctx) {
            ctx.json(Json.read(ctx, Echo.class, maxBodyBytes));
        }
    }
}
