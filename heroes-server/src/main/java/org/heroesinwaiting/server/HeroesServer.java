package org.heroesinwaiting.server;

import static java.util.Objects.requireNonNull;

import io.javalin.Javalin;
import io.javalin.http.ContentType;
import io.javalin.json.JavalinJackson;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import org.heroesinwaiting.server.admin.AdminController;
import org.heroesinwaiting.server.auth.AdminRole;
import org.heroesinwaiting.server.auth.AuthController;
import org.heroesinwaiting.server.auth.Authentication;
import org.heroesinwaiting.server.classroom.ClassroomController;
import org.heroesinwaiting.server.classroom.StudentController;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.curriculum.CurriculumCache;
import org.heroesinwaiting.server.curriculum.CurriculumController;
import org.heroesinwaiting.server.curriculum.CurriculumFiles;
import org.heroesinwaiting.server.health.HealthController;
import org.heroesinwaiting.server.http.AccessLog;
import org.heroesinwaiting.server.http.AdminAllowList;
import org.heroesinwaiting.server.http.ClientAddresses;
import org.heroesinwaiting.server.http.Controller;
import org.heroesinwaiting.server.http.Json;
import org.heroesinwaiting.server.http.LineWriter;
import org.heroesinwaiting.server.http.HeadAsGet;
import org.heroesinwaiting.server.http.JettyProblems;
import org.heroesinwaiting.server.http.NoMethodOverride;
import org.heroesinwaiting.server.http.ProblemPages;
import org.heroesinwaiting.server.http.Problems;
import org.heroesinwaiting.server.http.RequestIds;
import org.heroesinwaiting.server.metrics.MetricsController;
import org.heroesinwaiting.server.openapi.OpenApiController;

/**
 * Builds the reference server's HTTP app (Javalin 7), unstarted:
 *
 * <pre>{@code
 * Javalin app = HeroesServer.create(config, services);
 * app.start(config.http().port());
 * }</pre>
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
     * @param services what the endpoints use
     * @return the app, not started
     */
    public static Javalin create(ServerConfig config, ServerServices services) {
        requireNonNull(config, "config");
        requireNonNull(services, "services");
        ClientAddresses clients = new ClientAddresses(config.http().trustedProxies());
        AccessLog accessLog = new AccessLog(services.metrics(), clients, new LineWriter(System.out, ACCESS_LOG_QUEUE));
        AdminAllowList adminAllowList = new AdminAllowList(config.http().adminAllow(), clients);
        List<Controller> controllers = new ArrayList<>(List.of(
                new HealthController(services.healthChecks()),
                new MetricsController(services.metrics()),
                new OpenApiController(),
                new ProblemPages()));
        if (services.accounts() != null) {
            controllers.add(new AuthController(services.accounts(), clients, config.auth().openRegistration()
                    .orElse(config.embeddedDatabase()), config.http().maxBodyBytes()));
        }
        if (services.administration() != null) {
            controllers.add(new AdminController(services.administration(), config.http().maxBodyBytes()));
        }
        if (services.classrooms() != null) {
            controllers.add(new ClassroomController(services.classrooms(), config.http().maxBodyBytes()));
        }
        if (services.students() != null) {
            controllers.add(new StudentController(services.students(), clients, config.http().maxBodyBytes()));
        }
        if (services.curriculum() != null) {
            controllers.add(new CurriculumController(new CurriculumCache(services.curriculum(), config.content().baseUrl(), Clock.systemUTC()),
                    new CurriculumFiles(services.curriculum()), contentDir(config), config.http().maxBodyBytes()));
        }
        controllers.addAll(services.controllers());
        Set<String> publicRoutes = new HashSet<>();
        Set<String> studentRoutes = new HashSet<>();
        Set<String> sharedRoutes = new HashSet<>();
        controllers.forEach(controller -> {
            publicRoutes.addAll(controller.publicRoutes());
            studentRoutes.addAll(controller.studentRoutes());
            sharedRoutes.addAll(controller.sharedRoutes());
        });
        Authentication authentication = new Authentication(services.accounts(), services.students(), publicRoutes, studentRoutes,
                sharedRoutes);

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
            });
            cfg.requestLogger.http(accessLog::record);
            cfg.events.serverStopped(accessLog::close);

            cfg.routes.before(RequestIds::assign);
            // API.md's order: authentication (401), then the admin address (403), then the role (403).
            cfg.routes.beforeMatched(Authentication.PATHS, authentication::check);
            cfg.routes.beforeMatched(AdminAllowList.PATHS, adminAllowList::check);
            cfg.routes.beforeMatched(AdminAllowList.PATHS, AdminRole::check);
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
