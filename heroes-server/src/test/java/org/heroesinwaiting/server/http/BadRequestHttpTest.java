package org.heroesinwaiting.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.RawHttp.Answer;
import org.heroesinwaiting.server.support.RawHttp;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each case an outside robustness run found answered 500, answered something other than a problem
 * document, or accepted what it should refuse: each is now a precise 4xx problem with a request id.
 */
class BadRequestHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = MutableClock.startingNow();
    private Heroes heroes;
    private FacilitatorAccounts accounts;
    private DataSource app;
    private String facilitator;
    private String admin;

    @BeforeEach
    void create(DataSource appLogin) {
        app = appLogin;
        heroes = TestHeroes.on(app, clock);
        accounts = heroes.accounts();
        new DatabaseCurriculum(new TransactionRunner(HeroesJdbi.create(app)), clock)
                .importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest()));
        facilitator = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        admin = AuthApps.tokenOf(accounts, "admin@district.example", "admin");
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    private void test(Scenario body) {
        Javalin server = TestApps.production(heroes);
        JavalinTest.test(server, (s, client) -> body.run(s.port()));
    }

    private interface Scenario {
        void run(int port) throws Exception;
    }

    private static Answer send(int port, String method, String path, String token, String contentType, String body) {
        List<String> headers = new ArrayList<>();
        if (token != null) {
            headers.add("Authorization: Bearer " + token);
        }
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }
        return RawHttp.send(port, method, path, headers.toArray(String[]::new), body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static Answer json(int port, String method, String path, String token, String body) {
        return send(port, method, path, token, "application/json", body);
    }

    /** A problem document of this status and type, with a request id in the body and the header. */
    private static JsonNode problem(Answer answer, int status, String type) throws IOException {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.text()).startsWith("application/problem+json");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("type").asText()).as(answer.text()).isEqualTo("/problems/" + type);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("request_id").asText()).isNotBlank().isEqualTo(answer.header("X-Request-Id"));
        assertThat(answer.text()).as("no library internals in a detail")
                .doesNotContain("com.fasterxml").doesNotContain("StreamReadConstraints").doesNotContain("jakarta.").doesNotContain("java.");
        return body;
    }

    private static String pointers(JsonNode problem) {
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(error -> pointers.add(error.get("pointer").asText()));
        return String.join(",", pointers);
    }

    private String classroom(int port) throws IOException {
        Answer created = json(port, "POST", "/api/v1/classrooms", facilitator, "{\"name\": \"Room 12\", \"grade_level\": 5}");
        assertThat(created.status()).isEqualTo(201);
        return "/api/v1/classrooms/" + JSON.readTree(created.body()).get("id").asText();
    }

    @Test
    void aCharsetOtherThanUtf8Is415OnEveryBody() {
        test(port -> {
            String room = classroom(port);
            String[][] operations = {
                {"POST", "/api/v1/auth/register", null, "{\"email\": \"x@school.example\", \"password\": \"p\", \"display_name\": \"X\"}"},
                {"POST", "/api/v1/auth/login", null, "{\"email\": \"x@school.example\", \"password\": \"p\"}"},
                {"POST", "/api/v1/classrooms", facilitator, "{\"name\": \"Room 14\", \"grade_level\": 5}"},
                {"PATCH", room, facilitator, "{\"name\": \"Room 15\"}"},
                {"POST", "/api/v1/student/join", null, "{\"classroom_code\": \"ABCDEFGH\", \"age_range\": \"10-11\", \"grade_level\": 5}"},
                {"POST", "/api/v1/admin/curriculum", admin, "{}"},
                {"POST", "/api/v1/admin/facilitators", admin, "{}"}};
            for (String[] operation : operations) {
                for (String charset : new String[] {"klingon", "latin1", "utf-16", "\"x\""}) {
                    problem(send(port, operation[0], operation[1], operation[2], "application/json; charset=" + charset, operation[3]),
                            415, "unsupported-media-type");
                }
                assertThat(send(port, operation[0], operation[1], operation[2], "application/json; charset=UTF-8", operation[3]).status())
                        .as(operation[1] + " in UTF-8").isNotIn(415, 500);
            }
        });
    }

    @Test
    void theCurriculumImportRefusesDeepNestingLongNumbersBadPathsAndMoreThanOneDocument() {
        test(port -> {
            String path = "/api/v1/admin/curriculum";
            problem(json(port, "POST", path, admin, "[".repeat(100_000)), 400, "malformed-json");
            problem(json(port, "POST", path, admin, "{\"a\":".repeat(20_000)), 400, "malformed-json");
            problem(json(port, "POST", path, admin, "[".repeat(5_000) + "]".repeat(5_000)), 400, "malformed-json");
            problem(json(port, "POST", path, admin, "{\"format\": 1" + "1".repeat(5_000) + "}"), 400, "malformed-json");
            problem(json(port, "POST", path, admin, "{\"format\": 1} garbage"), 400, "malformed-json");
            problem(json(port, "POST", path, admin, "{\"format\": 1}{\"format\": 1}"), 400, "malformed-json");
            problem(send(port, "POST", path, admin, "application/jsonx", "{}"), 415, "unsupported-media-type");

            String manifest = new String(CurriculumFixtures.manifest(), StandardCharsets.UTF_8);
            String withNul = manifest.replaceFirst("\"file\":\\s*\"", "\"file\": \"\\\\u0000");
            assertThat(withNul).isNotEqualTo(manifest);
            JsonNode nul = problem(json(port, "POST", path, admin, withNul), 400, "import-invalid");
            assertThat(pointers(nul)).contains(".file");
        });
    }

    @Test
    void brokenChunkingAndWhatJettyRefusesAreProblemDocuments() {
        test(port -> {
            Answer chunked = RawHttp.send(port, "POST", "/api/v1/classrooms", new String[] {
                "Authorization: Bearer " + facilitator, "Content-Type: application/json", "Transfer-Encoding: chunked"},
                    "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            problem(chunked, 400, "bad-request");

            problem(RawHttp.send(port, "GET", "/api/v1/lessons/%00", new String[0], null), 400, "bad-request");
            problem(RawHttp.send(port, "GET", "/api/v1/lessons/%C0%AF", new String[0], null), 400, "bad-request");
            problem(RawHttp.send(port, "GET", "/api/v1/lessons", new String[] {"X-Odd: a\0b"}, null), 400, "bad-request");
            problem(RawHttp.send(port, "GET", "/api/v1/lessons", new String[] {"X-Big: " + "a".repeat(9_000)}, null), 431, "headers-too-large");
            problem(RawHttp.send(port, "GET", "/api/v1/lessons?q=" + "a".repeat(70_000), new String[0], null), 414, "uri-too-long");
        });
    }

    @Test
    void nullIsRefusedWhereTheSpecSaysNoNull() {
        test(port -> {
            String room = classroom(port);
            JsonNode create = problem(json(port, "POST", "/api/v1/classrooms", facilitator,
                    "{\"name\": \"Room 14\", \"grade_level\": 5, \"max_students\": null}"), 400, "validation-failed");
            assertThat(pointers(create)).isEqualTo("/max_students");
            for (String field : new String[] {"name", "grade_level", "max_students", "join_enabled"}) {
                JsonNode patch = problem(json(port, "PATCH", room, facilitator, "{\"" + field + "\": null}"), 400, "validation-failed");
                assertThat(pointers(patch)).isEqualTo("/" + field);
            }
            assertThat(json(port, "PATCH", room, facilitator, "{\"code_expires_at\": null}").status()).as("nullable: clears").isEqualTo(200);
            JsonNode role = problem(json(port, "POST", "/api/v1/admin/facilitators", admin,
                    "{\"email\": \"n@school.example\", \"password\": \"" + AuthApps.PASSWORD + "\", \"display_name\": \"N\", \"role\": null}"),
                    400, "validation-failed");
            assertThat(pointers(role)).isEqualTo("/role");
        });
    }

    @Test
    void idsTimesNumbersAndStringsOnlyInTheirStrictForms() {
        test(port -> {
            String room = classroom(port);
            for (String id : new String[] {"\"\"", "\" \"", "\"\\u0000\"", "\"" + java.util.UUID.randomUUID() + "\\u0000\"", "\"1-1-1-1-1\""}) {
                JsonNode note = problem(json(port, "POST", "/api/v1/lessons/2/notes", facilitator,
                        "{\"notes\": \"Ran long.\", \"classroom_id\": " + id + "}"), 400, "validation-failed");
                assertThat(pointers(note)).as(id).isEqualTo("/classroom_id");
            }
            for (String time : new String[] {"+275760-09-13T00:00:00Z", "-0044-03-15T12:00:00Z", "2026-12-01T24:00:00Z", "2026-02-30T10:00:00Z",
                "2026-12-01 10:00:00Z", "2026-12-01T10:00:00"}) {
                JsonNode expiry = problem(json(port, "PATCH", room, facilitator, "{\"code_expires_at\": \"" + time + "\"}"), 400,
                        "validation-failed");
                assertThat(pointers(expiry)).as(time).isEqualTo("/code_expires_at");
            }
            problem(send(port, "GET", "/api/v1/lessons/%EF%BC%91", facilitator, null, null), 404, "not-found");
            assertThat(send(port, "GET", "/api/v1/lessons/1", facilitator, null, null).status()).isEqualTo(200);

            JsonNode surrogate = problem(json(port, "POST", "/api/v1/classrooms", facilitator,
                    "{\"name\": \"Room \\ud800\", \"grade_level\": 5}"), 400, "validation-failed");
            assertThat(pointers(surrogate)).isEqualTo("/name");
            JsonNode nul = problem(json(port, "PATCH", room, facilitator, "{\"name\": \"Room\\u0000 12\"}"), 400, "validation-failed");
            assertThat(pointers(nul)).isEqualTo("/name");
        });
    }

    @Test
    void detailsSpeakTheClientsTerms() {
        test(port -> {
            problem(json(port, "POST", "/api/v1/auth/login", null, "{\"email\": \"a@b.example\", \"password\": \"p\", \"device_info\": \"x\"}"),
                    400, "validation-failed");
            problem(json(port, "POST", "/api/v1/classrooms", facilitator, "{\"name\": [1], \"grade_level\": 5}"), 400, "validation-failed");
            problem(json(port, "POST", "/api/v1/classrooms", facilitator, "[".repeat(50)), 400, "malformed-json");
            problem(json(port, "POST", "/api/v1/classrooms", facilitator, "{\"name\": 1" + "0".repeat(200) + "}"), 400, "malformed-json");
            problem(json(port, "POST", "/api/v1/classrooms", facilitator, "{\"name\": \"x\"} {}"), 400, "malformed-json");
        });
    }

    @Test
    void headAnswersWhatGetWouldWithoutTheBody() {
        test(port -> {
            for (String[] route : new String[][] {{"/api/v1/lessons", facilitator}, {"/api/v1/lessons/3", facilitator},
                {"/api/v1/admin/facilitators", admin}, {"/api/v1/me", facilitator}}) {
                Answer get = send(port, "GET", route[0], route[1], null, null);
                Answer head = send(port, "HEAD", route[0], route[1], null, null);
                assertThat(head.status()).as(route[0]).isEqualTo(get.status()).isEqualTo(200);
                assertThat(head.body()).as(route[0]).isEmpty();
                assertThat(head.header("Content-Type")).as(route[0]).isEqualTo(get.header("Content-Type"));
                assertThat(head.header("ETag")).as(route[0]).isEqualTo(get.header("ETag"));
                if (head.header("Content-Length") != null) {
                    assertThat(head.header("Content-Length")).as(route[0]).isEqualTo(Integer.toString(get.body().length));
                }
            }
            assertThat(send(port, "HEAD", "/api/v1/admin/facilitators", facilitator, null, null).status()).isEqualTo(403);
            assertThat(send(port, "HEAD", "/api/v1/lessons", null, null, null).status()).isEqualTo(401);
        });
    }
}
