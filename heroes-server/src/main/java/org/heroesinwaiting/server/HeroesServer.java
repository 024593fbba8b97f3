package org.heroesinwaiting.server;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.json.JavalinJackson;
import io.javalin.security.RouteRole;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.analytics.AnalyticsReader;
import org.heroesinwaiting.server.auth.AdminRole;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.auth.SessionCheckScope;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.health.HealthCheck;
import org.heroesinwaiting.server.health.HealthController;
import org.heroesinwaiting.server.http.Access;
import org.heroesinwaiting.server.http.AccessLog;
import org.heroesinwaiting.server.http.AdminAllowList;
import org.heroesinwaiting.server.http.ClientAddresses;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.HeadAsGet;
import org.heroesinwaiting.server.http.JettyProblems;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.LineWriter;
import org.heroesinwaiting.server.http.NoMethodOverride;
import org.heroesinwaiting.server.http.ProblemPages;
import org.heroesinwaiting.server.http.Problems;
import org.heroesinwaiting.server.http.RequestIds;
import org.heroesinwaiting.server.metrics.MetricsController;
import org.heroesinwaiting.server.openapi.OpenApiController;

/**
 * Builds the reference server's HTTP app (Javalin 7), unstarted, from the library:
 *
 * <pre>{@code
 * Javalin app = HeroesServer.builder(config).library(heroes).metrics(registry).healthChecks(checks).build();
 * app.start(config.http().port());
 * }</pre>
 *
 * <p>Every feature's endpoints come from the library's ports the same way ({@code Features});
 * a builder without a library serves the HTTP frame alone (health, metrics, the OpenAPI document
 * and the problem pages), which tests of the frame use.
 *
 * <p>Every answer carries {@code X-Request-Id}; every error is {@code application/problem+json};
 * checks run in API.md's order: route (404, 405), authentication (401), the admin allow-list (403),
 * role (403), body (413, 415, 400), then the operation.
 */
public final class HeroesServer {

    /** Access-log lines that may wait for the console before new ones are dropped. */
    private static final int ACCESS_LOG_QUEUE = 10_000;

    private HeroesServer() {
    }

    /**
     * @param config the server's configuration
     * @return a builder of the app
     */
    public static Builder builder(ServerConfig config) {
        return new Builder(config);
    }

    /** What the app is built from; only the configuration is required. */
    public static final class Builder {
        private final ServerConfig config;
        private PrometheusMeterRegistry metrics;
        private List<HealthCheck> healthChecks = List.of();
        private Heroes heroes;
        private AnalyticsReader analytics;
        private final List<Controller> extra = new ArrayList<>();

        private Builder(ServerConfig config) {
            this.config = requireNonNull(config, "config");
        }

        /**
         * @param value the library whose ports every feature's endpoints call
         * @return this
         */
        public Builder library(Heroes value) {
            this.heroes = requireNonNull(value, "library");
            return this;
        }

        /**
         * @param value where the analytics endpoints read the views: a read replica ({@link
         *     AnalyticsReader#on}); the library's own database by default
         * @return this
         */
        public Builder analytics(AnalyticsReader value) {
            this.analytics = requireNonNull(value, "analytics");
            return this;
        }

        /**
         * @param value the registry {@code /metrics} exposes and requests are timed into (a new one by default)
         * @return this
         */
        public Builder metrics(PrometheusMeterRegistry value) {
            this.metrics = requireNonNull(value, "metrics");
            return this;
        }

        /**
         * @param value the parts {@code /health} reports on
         * @return this
         */
        public Builder healthChecks(List<HealthCheck> value) {
            this.healthChecks = List.copyOf(value);
            return this;
        }

        /**
         * @param controller endpoints beyond the library's features (a host's own, a test's)
         * @return this
         */
        public Builder controller(Controller controller) {
            extra.add(requireNonNull(controller, "controller"));
            return this;
        }

        /** @return the app, not started */
        public Javalin build() {
            return create(config, metrics != null ? metrics : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), healthChecks,
                    heroes, analytics, extra);
        }
    }

    private static Javalin create(ServerConfig config, PrometheusMeterRegistry metrics, List<HealthCheck> healthChecks, Heroes heroes,
            AnalyticsReader analytics, List<Controller> extra) {
        ClientAddresses clients = new ClientAddresses(config.http().trustedProxies());
        AccessLog accessLog = new AccessLog(metrics, clients, new LineWriter(System.out, ACCESS_LOG_QUEUE));
        AdminAllowList adminAllowList = new AdminAllowList(config.http().adminAllow(), clients);
        List<Controller> controllers = new ArrayList<>(List.of(
                new HealthController(healthChecks),
                new MetricsController(metrics),
                new OpenApiController(),
                new ProblemPages()));
        if (heroes != null) {
            controllers.addAll(Features.of(heroes, analytics != null ? analytics : new AnalyticsReader(heroes.transactions()), config,
                    clients));
        }
        controllers.addAll(extra);
        Authentication authentication = new Authentication(heroes == null ? null : heroes.accounts(),
                heroes == null ? null : heroes.students());

        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = config.http().maxBodyBytes();
            cfg.http.defaultContentType = ContentType.JSON;
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
            cfg.contextResolver.ip = ctx -> clients.of(ctx).getHostAddress();
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(config.http().drainTimeout().toMillis());
                server.setErrorHandler(new JettyProblems());
            });
            cfg.jetty.modifyServletContextHandler(handler -> {
                handler.setErrorHandler(new JettyProblems());
                handler.addFilter(NoMethodOverride.class, "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                handler.addFilter(HeadAsGet.class, "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                handler.addFilter(SessionCheckScope.class, Authentication.PATHS, java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
            });
            cfg.requestLogger.http(accessLog::record);
            cfg.events.serverStopped(accessLog::close);

            cfg.routes.before(RequestIds::assign);
            // API.md's order: authentication (401), then the admin address (403), then the role (403).
            // one handler, in API.md's order: authentication (401), the admin address (403), the role (403)
            cfg.routes.beforeMatched(Authentication.PATHS, ctx -> {
                Set<RouteRole> roles = ctx.routeRoles();
                authentication.check(ctx, roles);
                if (roles.contains(Access.ADMIN)) {
                    adminAllowList.check(ctx);
                    AdminRole.check(ctx);
                }
            });
            cfg.routes.after(SessionCheckScope::release);
            Problems.register(cfg.routes);
            controllers.forEach(controller -> controller.routes(cfg.routes));
        });
    }

    /**
     * @param config the configuration
     * @return where lesson media are: {@code HEROES_CONTENT_DIR}, else {@code content} in the data directory
     */
    public static Path contentDir(ServerConfig config) {
        return config.content().dir().orElse(config.dataDir().resolve("content")).toAbsolutePath();
    }
}
