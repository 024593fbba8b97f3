package org.heroesinwaiting.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import io.javalin.testtools.JavalinTest;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.activity.DatabaseClassroomReports;
import org.heroesinwaiting.persistence.activity.DatabaseClassroomSessions;
import org.heroesinwaiting.persistence.activity.DatabaseStudentActivity;
import org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum;
import org.heroesinwaiting.server.activity.ActivityController;
import org.heroesinwaiting.server.activity.ReportController;
import org.heroesinwaiting.server.activity.SessionController;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.ClassroomApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/** The OpenAPI file describes exactly the routes the server registers, and parses cleanly. */
class OpenApiTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @Test
    void theDescriptionIsValidOpenApi31() {
        SwaggerParseResult result = parse();

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    }

    @Test
    void everyRegisteredRouteIsDescribedAndEveryDescribedRouteIsRegistered(DataSource appLogin) {
        Javalin app = TestApps.production(AuthApps.accounts(appLogin, new HashingPool(1, 1)),
                AuthApps.administration(appLogin, new HashingPool(1, 1)), ClassroomApps.classrooms(appLogin, Clock.systemUTC()),
                ClassroomApps.students(appLogin),
                new DatabaseCurriculum(new TransactionRunner(HeroesJdbi.create(appLogin)), Clock.systemUTC()),
                List.of(new SessionController(new DatabaseClassroomSessions(new TransactionRunner(HeroesJdbi.create(appLogin)), Clock.systemUTC()),
                        1 << 20), new ActivityController(new DatabaseStudentActivity(new TransactionRunner(HeroesJdbi.create(appLogin)),
                        Clock.systemUTC()), 1 << 20), new ReportController(new DatabaseClassroomReports(
                        new TransactionRunner(HeroesJdbi.create(appLogin))))));
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
            String method = parsed.endpoint.method.name().toUpperCase(Locale.ROOT);
            if (HTTP_METHODS.contains(method)) {
                registered.add(method + " " + parsed.endpoint.path);
            }
        }
        Set<String> described = new TreeSet<>();
        OpenAPI api = parse().getOpenAPI();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> described.add(method.name() + " " + path)));

        assertThat(registered).isNotEmpty();
        assertThat(described).isEqualTo(registered);
    }

    @Test
    void theServerServesTheDescription(DataSource appLogin) {
        JavalinTest.test(TestApps.production(AuthApps.accounts(appLogin, new HashingPool(1, 1)),
                AuthApps.administration(appLogin, new HashingPool(1, 1)), null, null, null, List.of()), (server, client) -> {
            var response = client.get("/openapi.yaml");

            assertThat(response.code()).isEqualTo(200);
            assertThat(response.headers().get("Content-Type").get(0)).startsWith("application/yaml");
            assertThat(response.body().string()).isEqualTo(new String(OpenApiController.load(), StandardCharsets.UTF_8));
        });
    }

    private static SwaggerParseResult parse() {
        return new OpenAPIParser().readContents(new String(OpenApiController.load(), StandardCharsets.UTF_8), null, null);
    }

}
