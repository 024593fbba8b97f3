package org.heroesinwaiting.server.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.router.ParsedEndpoint;
import io.javalin.testtools.JavalinTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
        Javalin app;
        try (Heroes heroes = TestHeroes.on(appLogin)) {
            app = TestApps.production(heroes);
        }
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
        JavalinTest.test(TestApps.frame(Map.of(), List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), (server, client) -> {
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
