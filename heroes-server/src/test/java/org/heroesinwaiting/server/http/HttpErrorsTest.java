package org.heroesinwaiting.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import java.util.Map;
import org.heroesinwaiting.server.support.TestApps;
import org.junit.jupiter.api.Test;

/** Every error class of API.md, through the real HTTP stack. */
class HttpErrorsTest {

    private final Javalin app = TestApps.frame(Map.of("HEROES_MAX_BODY_BYTES", "256"), List.of(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));

    @Test
    void anUnknownRouteIsA404ProblemWithARequestId() {
        JavalinTest.test(app, (server, client) -> {
            Response response = client.get("/api/v1/nothing-here");

            assertProblem(response, 404, "not-found");
            JsonNode body = json(response);
            assertThat(body.get("instance").asText()).isEqualTo("/api/v1/nothing-here");
            assertThat(body.get("request_id").asText()).isEqualTo(header(response, "X-Request-Id")).isNotBlank();
        });
    }

    @Test
    void aWellFormedRequestIdIsKeptAndAForgedOneReplaced() {
        JavalinTest.test(app, (server, client) -> {
            Response kept = client.get("/health", request -> request.header("X-Request-Id", "client-42.a_b"));
            Response replaced = client.get("/health", request -> request.header("X-Request-Id", "bad id\twith <script>"));

            assertThat(header(kept, "X-Request-Id")).isEqualTo("client-42.a_b");
            assertThat(header(replaced, "X-Request-Id")).matches("[0-9a-f-]{36}");
        });
    }

    @Test
    void anotherMethodOnAKnownRouteIs405WithAllow() {
        JavalinTest.test(app, (server, client) -> {
            Response response = client.post("/health", null);

            assertProblem(response, 405, "method-not-allowed");
            assertThat(header(response, "Allow")).isEqualTo("GET");
        });
    }

    @Test
    void aValidBodyRoundTripsInSnakeCaseWithIsoTimesAndFreeFormJson() {
        JavalinTest.test(app, (server, client) -> {
            Response response = postJson(client, """
                    {"name": "x", "count": 3, "client_timestamp": "2026-11-29T21:35:15Z", "answers": {"q1": "b", "q2": [1, 2]}}""");

            assertThat(response.code()).isEqualTo(200);
            JsonNode body = json(response);
            assertThat(body.get("client_timestamp").asText()).isEqualTo("2026-11-29T21:35:15Z");
            assertThat(body.get("answers").get("q2").get(1).asInt()).isEqualTo(2);
            assertThat(body.get("count").asInt()).isEqualTo(3);
        });
    }

    @Test
    void malformedJsonIs400MalformedJson() {
        JavalinTest.test(app, (server, client) -> {
            assertProblem(postJson(client, "{\"name\": \"x\", "), 400, "malformed-json");
            assertProblem(postJson(client, "not json at all"), 400, "malformed-json");
            assertProblem(postJson(client, ""), 400, "malformed-json");
            assertProblem(postJson(client, "{\"name\": \"x\", \"count\": 1} trailing"), 400, "malformed-json");
        });
    }

    @Test
    void aWrongTypeIs400ValidationFailedWithAPointer() {
        JavalinTest.test(app, (server, client) -> {
            Response stringForInt = postJson(client, "{\"name\": \"x\", \"count\": \"3\"}");
            Response numberForString = postJson(client, "{\"name\": 5, \"count\": 3}");
            Response badTime = postJson(client, "{\"name\": \"x\", \"count\": 3, \"client_timestamp\": \"yesterday\"}");
            Response arrayForObject = postJson(client, "[1, 2]");

            assertProblem(stringForInt, 400, "validation-failed");
            assertThat(pointers(stringForInt)).containsExactly("/count");
            assertProblem(numberForString, 400, "validation-failed");
            assertThat(pointers(numberForString)).containsExactly("/name");
            assertProblem(badTime, 400, "validation-failed");
            assertThat(pointers(badTime)).containsExactly("/client_timestamp");
            assertProblem(arrayForObject, 400, "validation-failed");
        });
    }

    @Test
    void anUnknownPropertyIsRefusedSoNothingUnexpectedIsStored() {
        JavalinTest.test(app, (server, client) -> {
            Response response = postJson(client, "{\"name\": \"x\", \"count\": 1, \"child_name\": \"Alex\"}");

            assertProblem(response, 400, "validation-failed");
            assertThat(pointers(response)).containsExactly("/child_name");
            assertThat(response.body().string()).doesNotContain("Alex");
        });
    }

    @Test
    void aMissingRequiredFieldIs400() {
        JavalinTest.test(app, (server, client) -> {
            Response response = postJson(client, "{\"count\": 1}");

            assertProblem(response, 400, "validation-failed");
            assertThat(pointers(response)).containsExactly("");
            assertThat(json(response).get("detail").asText()).contains("name is required");
        });
    }

    @Test
    void aBodyOverTheLimitIs413() {
        JavalinTest.test(app, (server, client) -> {
            String big = "{\"name\": \"" + "x".repeat(400) + "\", \"count\": 1}";

            assertProblem(postJson(client, big), 413, "payload-too-large");
        });
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        JavalinTest.test(app, (server, client) -> {
            Response xml = client.request("/api/v1/test/echo", request -> request
                    .post(BodyPublishers.ofString("<echo/>")).header("Content-Type", "application/xml"));
            Response none = client.request("/api/v1/test/echo", request -> request.post(BodyPublishers.ofString("{}")));

            assertProblem(xml, 415, "unsupported-media-type");
            assertProblem(none, 415, "unsupported-media-type");
        });
    }

    @Test
    void theSizeLimitComesBeforeTheMediaTypeAndTheMediaTypeBeforeParsing() {
        JavalinTest.test(app, (server, client) -> {
            Response bigXml = client.request("/api/v1/test/echo", request -> request
                    .post(BodyPublishers.ofString("<x>" + "y".repeat(400) + "</x>")).header("Content-Type", "text/xml"));
            Response brokenXml = client.request("/api/v1/test/echo", request -> request
                    .post(BodyPublishers.ofString("{broken")).header("Content-Type", "text/plain"));

            assertProblem(bigXml, 413, "payload-too-large");
            assertProblem(brokenXml, 415, "unsupported-media-type");
        });
    }

    @Test
    void anUnexpectedFailureIs500WithTheRequestIdAndNoInternals() {
        JavalinTest.test(app, (server, client) -> {
            Response response = client.get("/api/v1/test/boom");

            assertProblem(response, 500, "internal-error");
            String body = response.body().string();
            assertThat(body).doesNotContain("secret internals", "IllegalStateException", "org.example", "\tat ");
            assertThat(json(body).get("detail").asText()).contains(header(response, "X-Request-Id"));
        });
    }

    @Test
    void everyProblemTypeHasItsPage() {
        JavalinTest.test(app, (server, client) -> {
            for (ProblemType type : ProblemType.values()) {
                Response page = client.get(type.uri());
                assertThat(page.code()).as(type.uri()).isEqualTo(200);
                assertThat(page.body().string()).contains(type.title(), type.uri());
            }
            assertProblem(client.get("/problems/no-such-problem"), 404, "not-found");
        });
    }

    private static List<String> pointers(Response response) {
        return json(response).get("errors").findValues("pointer").stream().map(JsonNode::asText).toList();
    }

    private static Response postJson(HttpClient client, String body) {
        return client.request("/api/v1/test/echo", request -> request
                .post(BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }
}
