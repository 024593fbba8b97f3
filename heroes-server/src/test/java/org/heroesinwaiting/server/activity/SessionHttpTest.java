package org.heroesinwaiting.server.activity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest.BodyPublishers;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lesson sessions and notes through real HTTP: exact statuses and problem types. */
class SessionHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private Heroes heroes;
    private FacilitatorAccounts accounts;
    private DataSource app;

    @BeforeEach
    void create(DataSource appLogin) {
        app = appLogin;
        heroes = TestHeroes.on(app);
        accounts = heroes.accounts();
        heroes.curriculum().importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest()));
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    private void test(io.javalin.testtools.TestCase body) {
        JavalinTest.test(TestApps.production(heroes), body);
    }

    private static Response post(HttpClient client, String path, String body, String token) {
        return client.request(path, request -> request.post(BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token));
    }

    private static Response get(HttpClient client, String path, String token) {
        return client.request(path, request -> request.get().header("Authorization", "Bearer " + token));
    }

    @Test
    void aLessonStartsEndsAndASecondOpenSessionIs409() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        String eli = AuthApps.tokenOf(accounts, "eli@school.example", "facilitator");
        test((server, client) -> {
            String room = json(post(client, "/api/v1/classrooms", "{\"name\": \"Room 12\", \"grade_level\": 5}", dana)).get("id").asText();
            String sessions = "/api/v1/classrooms/" + room + "/sessions";

            Response started = post(client, sessions, "{\"lesson_number\": 3}", dana);
            assertThat(started.code()).isEqualTo(201);
            JsonNode session = json(started);
            assertThat(session.get("lesson_number").asInt()).isEqualTo(3);
            assertThat(session.get("open").asBoolean()).isTrue();
            assertThat(header(started, "Location")).isEqualTo(sessions + "/" + session.get("id").asText());
            assertThat(get(client, header(started, "Location"), dana).code()).isEqualTo(200);

            assertProblem(post(client, sessions, "{\"lesson_number\": 4}", dana), 409, "session-already-open");
            assertProblem(post(client, sessions, "{\"lesson_number\": 13}", dana), 400, "validation-failed");
            assertProblem(post(client, sessions, "{\"lesson_number\": \"3\"}", dana), 400, "validation-failed");
            assertProblem(post(client, sessions, "{\"lesson_number\": 4}", eli), 404, "not-found");
            assertProblem(post(client, sessions + "/" + session.get("id").asText() + "/end", "{}", eli), 404, "not-found");
            assertProblem(get(client, sessions, eli), 404, "not-found");

            Response ended = post(client, sessions + "/" + session.get("id").asText() + "/end", "{}", dana);
            assertThat(ended.code()).isEqualTo(200);
            assertThat(json(ended).get("open").asBoolean()).isFalse();
            assertThat(post(client, sessions, "{\"lesson_number\": 4}", dana).code()).isEqualTo(201);
            assertThat(json(get(client, sessions, dana)).get("items")).hasSize(2);
        });
    }

    @Test
    void notesAreEachFacilitatorsOwn() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        String eli = AuthApps.tokenOf(accounts, "eli@school.example", "facilitator");
        test((server, client) -> {
            Response added = post(client, "/api/v1/lessons/2/notes", "{\"notes\": \"The role play ran long.\"}", dana);
            assertThat(added.code()).isEqualTo(201);
            assertThat(json(added).get("notes").asText()).isEqualTo("The role play ran long.");

            assertThat(json(get(client, "/api/v1/lessons/2/notes", dana)).get("items")).hasSize(1);
            assertThat(json(get(client, "/api/v1/lessons/2/notes", eli)).get("items")).isEmpty();
            assertProblem(post(client, "/api/v1/lessons/2/notes", "{\"notes\": \"  \"}", dana), 400, "validation-failed");
            assertProblem(post(client, "/api/v1/lessons/2/notes", "{\"notes\": \"x\", \"student\": \"Sam\"}", dana), 400, "validation-failed");
            assertProblem(post(client, "/api/v1/lessons/13/notes", "{\"notes\": \"x\"}", dana), 404, "not-found");
            assertProblem(get(client, "/api/v1/lessons/two/notes", dana), 404, "not-found");
        });
    }
}
