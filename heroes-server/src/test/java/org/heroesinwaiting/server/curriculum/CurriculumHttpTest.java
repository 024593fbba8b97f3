package org.heroesinwaiting.server.curriculum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import jakarta.json.Json;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.classroom.Classrooms;
import org.heroesinwaiting.core.classroom.StudentSessions;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The curriculum through real HTTP and a real database: imports, lessons, ETags, media. */
class CurriculumHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @TempDir
    Path content;

    private Heroes heroes;
    private FacilitatorAccounts accounts;
    private Classrooms classrooms;
    private StudentSessions students;
    private DatabaseCurriculum curriculum;
    private String admin;
    private String facilitator;

    @BeforeEach
    void create(DataSource app) {
        heroes = TestHeroes.on(app);
        accounts = heroes.accounts();
        classrooms = heroes.classrooms();
        students = heroes.students();
        curriculum = new DatabaseCurriculum(new TransactionRunner(HeroesJdbi.create(app)), Clock.systemUTC());
        admin = AuthApps.tokenOf(accounts, "admin@district.example", "admin");
        facilitator = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        CurriculumFixtures.writeContent(content);
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    private void test(Map<String, String> environment, io.javalin.testtools.TestCase body) {
        Map<String, String> variables = new java.util.HashMap<>(environment);
        variables.put("HEROES_CONTENT_DIR", content.toString());
        JavalinTest.test(TestApps.app(variables, heroes), body);
    }

    private static Response post(HttpClient client, String path, byte[] body, String token) {
        return client.request(path, request -> request.post(BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
    }

    private static Response get(HttpClient client, String path, String token, String... headers) {
        return client.request(path, request -> {
            request.get();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
        });
    }

    private String studentToken(HttpClient client) {
        JsonNode room = json(client.request("/api/v1/classrooms", request -> request.post(BodyPublishers.ofString(
                "{\"name\": \"Room 12\", \"grade_level\": 5}")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + facilitator)));
        return json(client.request("/api/v1/student/join", request -> request.post(BodyPublishers.ofString(
                "{\"classroom_code\": \"" + room.get("classroom_code").asText() + "\", \"age_range\": \"10-11\", \"grade_level\": 5}"))
                .header("Content-Type", "application/json"))).get("student_token").asText();
    }

    @Test
    void anAdminImportsOnceAFacilitatorNeverAndTheSameFileTwiceChangesNothing() {
        test(Map.of(), (server, client) -> {
            assertProblem(post(client, "/api/v1/admin/curriculum", CurriculumFixtures.manifest(), facilitator), 403, "forbidden");
            assertThat(json(get(client, "/api/v1/lessons", facilitator)).get("items")).isEmpty();

            Response first = post(client, "/api/v1/admin/curriculum", CurriculumFixtures.manifest(), admin);
            Response second = post(client, "/api/v1/admin/curriculum", CurriculumFixtures.manifest(), admin);

            assertThat(first.code()).isEqualTo(200);
            assertThat(json(first).get("changed").asBoolean()).isTrue();
            assertThat(json(first).get("lessons_changed").asInt()).isEqualTo(12);
            assertThat(json(second).get("changed").asBoolean()).isFalse();
            assertThat(json(second).get("revision").asInt()).isEqualTo(1);
            assertThat(json(get(client, "/api/v1/lessons", facilitator)).get("items")).hasSize(12);
        });
    }

    @Test
    void aBadImportNamesEveryProblemByItsPathAndChangesNothing() {
        test(Map.of(), (server, client) -> {
            post(client, "/api/v1/admin/curriculum", CurriculumFixtures.manifest(), admin);
            byte[] bad = CurriculumFixtures.manifest((number, lesson) -> switch (number) {
                case 12 -> lesson.add("lesson_number", 13).add("title", "Changed");
                case 2 -> lesson.add("content", Json.createArrayBuilder().add(CurriculumFixtures.handout(2).add("file", "lesson-2/missing.txt")));
                case 3 -> lesson.add("content", Json.createArrayBuilder().add(CurriculumFixtures.handout(3).add("sha256", "0".repeat(64))));
                default -> lesson;
            });

            Response refused = post(client, "/api/v1/admin/curriculum", bad, admin);
            assertProblem(refused, 400, "import-invalid");
            assertThat(json(refused).get("errors").findValuesAsText("pointer"))
                    .containsExactly("$.lessons[11].lesson_number", "$.lessons", "$.lessons[1].content[0].file", "$.lessons[2].content[0].sha256");
            assertThat(json(get(client, "/api/v1/lessons/12", facilitator)).get("title").asText()).isEqualTo("Lesson 12");

            byte[] duplicate = CurriculumFixtures.manifest((number, lesson) -> number == 5 ? lesson.add("lesson_number", 4) : lesson);
            Response twice = post(client, "/api/v1/admin/curriculum", duplicate, admin);
            assertProblem(twice, 400, "import-invalid");
            assertThat(json(twice).get("errors").findValuesAsText("pointer")).contains("$.lessons[4].lesson_number");
            assertProblem(client.request("/api/v1/admin/curriculum", request -> request.post(BodyPublishers.ofString("{"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)), 400, "malformed-json");
        });
    }

    @Test
    void lessonsAnswerWithStrongETagsAnd304UntilAnImportChangesThem() {
        test(Map.of(), (server, client) -> {
            post(client, "/api/v1/admin/curriculum", CurriculumFixtures.manifest(), admin);
            Response lesson = get(client, "/api/v1/lessons/3", facilitator);
            String etag = header(lesson, "ETag");
            assertThat(lesson.code()).isEqualTo(200);
            assertThat(etag).matches("\"[0-9a-f]{32}\"");
            assertThat(header(lesson, "Cache-Control")).isEqualTo("private, no-cache");
            JsonNode body = json(lesson);
            assertThat(body.get("content")).hasSize(2);
            assertThat(body.get("content").get(1).get("url").asText()).isEqualTo("/media/" + CurriculumFixtures.HANDOUT_SHA256);
            assertThat(body.get("questions").get(0).get("options")).hasSize(2);

            Response unchanged = get(client, "/api/v1/lessons/3", facilitator, "If-None-Match", etag);
            assertThat(unchanged.code()).isEqualTo(304);
            assertThat(unchanged.body().string()).isEmpty();
            assertThat(header(unchanged, "ETag")).isEqualTo(etag);

            post(client, "/api/v1/admin/curriculum", CurriculumFixtures.manifest((number, l) -> number == 3 ? l.add("title", "Upstanders") : l),
                    admin);
            Response changed = get(client, "/api/v1/lessons/3", facilitator, "If-None-Match", etag);
            assertThat(changed.code()).isEqualTo(200);
            assertThat(json(changed).get("title").asText()).isEqualTo("Upstanders");
            assertThat(header(changed, "ETag")).isNotEqualTo(etag);

            assertProblem(get(client, "/api/v1/lessons/13", facilitator), 404, "not-found");
            assertProblem(get(client, "/api/v1/lessons/0", facilitator), 404, "not-found");
            assertProblem(get(client, "/api/v1/lessons/three", facilitator), 404, "not-found");
            assertProblem(get(client, "/api/v1/lessons", null), 401, "unauthorized");
        });
    }

    @Test
    void aStudentReadsLessonsAndTheOfflineManifestAndMediaServeRanges() {
        test(Map.of(), (server, client) -> {
            post(client, "/api/v1/admin/curriculum", CurriculumFixtures.manifest(), admin);
            String student = studentToken(client);

            assertThat(json(get(client, "/api/v1/lessons", student)).get("items")).hasSize(12);
            Response manifest = get(client, "/api/v1/offline-manifest", student);
            assertThat(manifest.code()).isEqualTo(200);
            JsonNode items = json(manifest).get("items");
            assertThat(items).hasSize(12); // the handouts; the streamed videos are not offline
            assertThat(json(manifest).get("curriculum_version").asText()).isEqualTo("test-1");
            assertThat(items.get(0).get("sha256").asText()).isEqualTo(CurriculumFixtures.HANDOUT_SHA256);
            assertThat(get(client, "/api/v1/offline-manifest", student, "If-None-Match", header(manifest, "ETag")).code()).isEqualTo(304);

            String media = "/media/" + CurriculumFixtures.HANDOUT_SHA256;
            Response whole = get(client, media, null);
            assertThat(whole.code()).isEqualTo(200);
            assertThat(whole.body().string()).isEqualTo(CurriculumFixtures.HANDOUT);
            assertThat(header(whole, "Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
            assertThat(header(whole, "ETag")).isEqualTo("\"" + CurriculumFixtures.HANDOUT_SHA256 + "\"");
            assertThat(header(whole, "Content-Type")).as("the manifest's own type, no charset added").isEqualTo("text/plain");
            Response range = get(client, media, null, "Range", "bytes=2-5");
            assertThat(range.code()).isEqualTo(206);
            assertThat(range.body().string()).isEqualTo(CurriculumFixtures.HANDOUT.substring(2, 6));
            Response tail = get(client, media, null, "Range", "bytes=5-100");
            assertThat(tail.code()).isEqualTo(206);
            assertThat(header(tail, "Content-Range")).isEqualTo("bytes 5-10/11");
            assertThat(tail.body().string()).isEqualTo(CurriculumFixtures.HANDOUT.substring(5));
            Response outside = get(client, media, null, "Range", "bytes=100-");
            assertProblem(outside, 416, "range-not-satisfiable");
            assertThat(header(outside, "Content-Range")).isEqualTo("bytes */11");
            assertThat(header(range, "Content-Type")).isEqualTo("text/plain");
            assertThat(get(client, media, null, "If-None-Match", header(whole, "ETag")).code()).isEqualTo(304);
            assertProblem(get(client, "/media/" + "a".repeat(64), null), 404, "not-found");
            assertProblem(get(client, "/media/..%2F..%2Fetc%2Fpasswd", null), 404, "not-found");
        });
    }

    @Test
    void withAContentBaseUrlTheManifestPointsAtIt() {
        test(Map.of("HEROES_CONTENT_BASE_URL", "https://cdn.heroes.example/"), (server, client) -> {
            post(client, "/api/v1/admin/curriculum", CurriculumFixtures.manifest(), admin);
            JsonNode items = json(get(client, "/api/v1/offline-manifest", facilitator)).get("items");
            assertThat(items.get(0).get("url").asText()).isEqualTo("https://cdn.heroes.example/media/" + CurriculumFixtures.HANDOUT_SHA256);
        });
    }

    @Test
    void theDefaultCurriculumIsValidAndItsFilesMatch(@TempDir Path defaults) {
        var report = new DefaultCurriculum(curriculum).installDefaultIfEmpty(defaults).orElseThrow();
        assertThat(report.lessonsChanged()).isEqualTo(12);
        assertThat(new DefaultCurriculum(curriculum).installDefaultIfEmpty(defaults)).as("only on an empty database").isEmpty();
        var snapshot = curriculum.snapshot();
        assertThat(snapshot.lessons()).allSatisfy(lesson -> {
            assertThat(lesson.content()).hasSizeBetween(3, 5);
            assertThat(lesson.questions()).hasSizeBetween(2, 4);
        });
        assertThat(new String(DefaultCurriculum.defaultManifest(), StandardCharsets.UTF_8)).contains("Being an upstander");
    }
}
