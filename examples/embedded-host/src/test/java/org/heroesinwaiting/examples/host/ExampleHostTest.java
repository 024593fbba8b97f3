package org.heroesinwaiting.examples.host;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.JwtKey;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A host that is not Javalin embeds the library through its one call and serves a classroom's first morning. */
class ExampleHostTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final JwtKeyring KEYRING = new JwtKeyring(List.of(new JwtKey("example", "e".repeat(32).getBytes(StandardCharsets.US_ASCII), true)));

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void aFacilitatorRegistersMakesAClassroomAStudentJoinsAndSendsProgress(DataSource app) throws Exception {
        try (Heroes heroes = Heroes.create(HeroesSettings.of(KEYRING).withHashing(1, 8), app, Clock.systemUTC());
                ExampleHost host = ExampleHost.start(heroes, 0)) {
            heroes.curriculum().importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest()));
            UUID content = heroes.curriculum().snapshot().lesson(1).orElseThrow().content().get(0).id();

            assertThat(post(host, "/register", """
                    {"email": "Rivera@School.example", "password": "correct horse battery staple", "display_name": "Ms Rivera"}""", null)
                    .status()).isEqualTo(201);
            String access = post(host, "/login", """
                    {"email": "rivera@school.example", "password": "correct horse battery staple"}""", null).body().getString("access_token");
            String code = post(host, "/classrooms", """
                    {"name": "Room 4", "grade_level": 5}""", access).body().getString("classroom_code");
            Reply joined = post(host, "/join", """
                    {"classroom_code": "%s", "age_range": "10-11", "grade_level": 5}""".formatted(code), null);
            assertThat(joined.status()).isEqualTo(201);
            Reply progress = post(host, "/progress", """
                    {"items": [{"idempotency_key": "k-1", "lesson_number": 1, "content_id": "%s", "status": "completed",
                                "client_timestamp": "%s"}]}""".formatted(content, Instant.now()), joined.body().getString("student_token"));

            assertThat(progress.status()).isEqualTo(200);
            assertThat(progress.body().getJsonArray("results").getJsonObject(0).getString("status")).isEqualTo("stored");
        }
    }

    @Test
    void theLibrarysRulesAndRefusalsReachTheHostAsItsOwnAnswers(DataSource app) throws Exception {
        try (Heroes heroes = Heroes.create(HeroesSettings.of(KEYRING).withHashing(1, 8), app, Clock.systemUTC());
                ExampleHost host = ExampleHost.start(heroes, 0)) {
            Reply invalid = post(host, "/join", "{\"age_range\": \"7-8\"}", null);

            assertThat(invalid.status()).isEqualTo(400);
            assertThat(invalid.body().getJsonArray("problems").getValuesAs(JsonObject.class))
                    .extracting(problem -> problem.getString("field")).containsExactly("classroom_code", "age_range", "grade_level");
            assertThat(post(host, "/classrooms", "{\"name\": \"Room 4\", \"grade_level\": 5}", "not-a-token").status()).isEqualTo(401);
            assertThat(post(host, "/register", "[1, 2", null).status()).isEqualTo(400);
        }
    }

    @Test
    void theReadmesEmbeddingExampleRuns(TestDatabase database, DataSource app) {
        UUID id = Embedding.registerAFacilitator(database.jdbcUrl(), database.password(DatabaseLogin.APP), KEYRING);

        try (Heroes heroes = Heroes.create(HeroesSettings.of(KEYRING), app, Clock.systemUTC())) {
            String token = heroes.accounts().login("rivera@school.example", "correct horse battery staple", ClientInfo.unknown())
                    .accessToken();
            assertThat(heroes.accounts().authenticate(token).facilitatorId()).isEqualTo(id);
            heroes.classrooms().create(heroes.accounts().authenticate(token), org.heroesinwaiting.core.classroom.NewClassroom.of("Room 9", 6, null));
            assertThat(Embedding.classroomNames(heroes, id)).containsExactly("Room 9");
        }
    }

    private record Reply(int status, JsonObject body) {
    }

    private Reply post(ExampleHost host, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + host.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), Json.createReader(new StringReader(response.body())).readObject());
    }
}
