package org.heroesinwaiting.server.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.curriculum.Curriculum;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Progress batches through real HTTP: one result per item, in order, and the batch's own errors. */
class ActivityHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    /** The clock the services judge a client's timestamp by; the items are dated from it. */
    private final MutableClock clock = MutableClock.startingNow();
    private Heroes heroes;
    private FacilitatorAccounts accounts;
    private DataSource app;
    private UUID lessonOneHandout;

    @BeforeEach
    void create(DataSource appLogin) {
        app = appLogin;
        heroes = TestHeroes.on(app, clock);
        accounts = heroes.accounts();
        Curriculum curriculum = heroes.curriculum();
        curriculum.importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest()));
        lessonOneHandout = curriculum.snapshot().lesson(1).orElseThrow().content().get(1).id();
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    private void test(io.javalin.testtools.TestCase body) {
        JavalinTest.test(TestApps.production(heroes), body);
    }

    private static Response post(HttpClient client, String path, String body, String token) {
        return client.request(path, request -> {
            request.post(BodyPublishers.ofString(body)).header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
        });
    }

    private String anHourAgo() {
        return clock.instant().minus(java.time.Duration.ofHours(1)).toString();
    }

    private String item(String key) {
        return "{\"idempotency_key\": \"" + key + "\", \"lesson_number\": 1, \"content_id\": \"" + lessonOneHandout
                + "\", \"status\": \"completed\", \"time_spent_seconds\": 120, \"client_timestamp\": \"" + anHourAgo() + "\"}";
    }

    @Test
    void eachItemHasItsResultInItsPlaceAndAReplayStoresNothing() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            String code = json(post(client, "/api/v1/classrooms", "{\"name\": \"Room 12\", \"grade_level\": 5}", dana)).get("classroom_code").asText();
            String student = json(post(client, "/api/v1/student/join",
                    "{\"classroom_code\": \"" + code + "\", \"age_range\": \"10-11\", \"grade_level\": 5}", null)).get("student_token").asText();
            String batch = "{\"items\": [" + item("a") + ", {\"idempotency_key\": \"b\", \"lesson_number\": \"one\"}, "
                    + item("c").replace("\"status\": \"completed\"", "\"status\": \"completed\", \"name\": \"Sam\"") + ", " + item("d") + "]}";

            Response first = post(client, "/api/v1/student/progress", batch, student);
            Response replay = post(client, "/api/v1/student/progress", batch, student);

            assertThat(first.code()).isEqualTo(200);
            JsonNode results = json(first).get("results");
            assertThat(results.findValuesAsText("status")).containsExactly("stored", "rejected", "rejected", "stored");
            assertThat(results.get(1).get("problem").get("detail").asText()).isEqualTo("lesson_number must be a whole number");
            assertThat(results.get(2).get("problem").get("detail").asText()).isEqualTo("unknown property name");
            assertThat(results.findValuesAsText("index")).containsExactly("0", "1", "2", "3");
            assertThat(json(replay).get("results").findValuesAsText("status")).containsExactly("duplicate", "rejected", "rejected", "duplicate");

            assertProblem(post(client, "/api/v1/student/progress", batch, dana), 401, "unauthorized");
            String room = json(client.request("/api/v1/classrooms", request -> request.get().header("Authorization", "Bearer " + dana)))
                    .get("items").get(0).get("id").asText();
            JsonNode progress = json(client.request("/api/v1/classrooms/" + room + "/progress",
                    request -> request.get().header("Authorization", "Bearer " + dana))).get("lessons");
            assertThat(progress).hasSize(12);
            assertThat(progress.get(0).get("students_started").asInt()).isEqualTo(1);
            assertThat(progress.get(0).get("students_completed").asInt()).as("the handout only: the video is not done").isZero();
            String eli = AuthApps.tokenOf(accounts, "eli@school.example", "facilitator");
            assertProblem(client.request("/api/v1/classrooms/" + room + "/progress",
                    request -> request.get().header("Authorization", "Bearer " + eli)), 404, "not-found");
            assertProblem(client.request("/api/v1/classrooms/" + room + "/feedback", request -> request.get()
                    .header("Authorization", "Bearer " + student)), 401, "unauthorized");
            assertProblem(post(client, "/api/v1/student/progress", "{\"items\": []}", student), 400, "validation-failed");
            assertProblem(post(client, "/api/v1/student/progress", "{\"items\": [" + String.join(", ",
                    java.util.Collections.nCopies(201, item("x"))) + "]}", student), 400, "batch-too-large");
            assertProblem(post(client, "/api/v1/student/progress", "{\"items\": [" + item("e") + "], \"extra\": 1}", student), 400,
                    "validation-failed");
            assertProblem(post(client, "/api/v1/student/progress", "{\"items\": [", student), 400, "malformed-json");
        });
    }

    @Test
    void feedbackTakesOptionsNotWords() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            String code = json(post(client, "/api/v1/classrooms", "{\"name\": \"Room 12\", \"grade_level\": 5}", dana)).get("classroom_code").asText();
            String student = json(post(client, "/api/v1/student/join",
                    "{\"classroom_code\": \"" + code + "\", \"age_range\": \"10-11\", \"grade_level\": 5}", null)).get("student_token").asText();
            String valid = "{\"idempotency_key\": \"f1\", \"lesson_number\": 1, \"rating\": 5, \"mood\": \"happy\", "
                    + "\"answers\": {\"felt-safe\": \"yes\"}, \"client_timestamp\": \"" + anHourAgo() + "\"}";
            String batch = "{\"items\": [" + valid + ", "
                    + valid.replace("f1", "f2").replace("\"yes\"", "\"Sam pushed me at lunch\"") + ", "
                    + valid.replace("f1", "f3").replace("\"rating\": 5", "\"rating\": \"5\"") + ", "
                    + valid.replace("f1", "f4").replace("\"mood\": \"happy\"", "\"mood\": \"happy\", \"comment\": \"my words\"") + ", "
                    + valid.replace("f1", "f5").replace("\"felt-safe\": \"yes\"", "\"felt-safe\": {\"text\": \"words\"}") + "]}";

            JsonNode results = json(post(client, "/api/v1/student/feedback", batch, student)).get("results");

            assertThat(results.findValuesAsText("status")).containsExactly("stored", "rejected", "rejected", "rejected", "rejected");
            assertThat(results.get(1).get("problem").get("detail").asText()).startsWith("question felt-safe allows yes, no");
            assertThat(results.get(2).get("problem").get("detail").asText()).isEqualTo("rating must be a whole number");
            assertThat(results.get(3).get("problem").get("detail").asText()).isEqualTo("unknown property comment");
            assertProblem(post(client, "/api/v1/student/feedback", batch, dana), 401, "unauthorized");
            String room = json(client.request("/api/v1/classrooms", request -> request.get().header("Authorization", "Bearer " + dana)))
                    .get("items").get(0).get("id").asText();
            JsonNode lesson = json(client.request("/api/v1/classrooms/" + room + "/feedback",
                    request -> request.get().header("Authorization", "Bearer " + dana))).get("lessons").get(0);
            assertThat(lesson.get("lesson_number").asInt()).isEqualTo(1);
            assertThat(lesson.get("questions").get("felt-safe").get("students").asInt()).isEqualTo(1);
            assertThat(lesson.get("questions").get("felt-safe").get("counts").isNull()).as("one student: no breakdown").isTrue();
        });
    }
}
