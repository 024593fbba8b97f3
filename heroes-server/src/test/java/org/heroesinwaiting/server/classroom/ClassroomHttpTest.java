package org.heroesinwaiting.server.classroom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;
import static org.heroesinwaiting.server.support.Requests.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.classroom.Classrooms;
import org.heroesinwaiting.core.classroom.StudentSessions;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.DatabaseClock;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Classrooms and the student join through real HTTP and a real database: exact statuses and problem types. */
class ClassroomHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private final MutableClock clock = MutableClock.startingNow();
    private DataSource app;
    private Heroes heroes;
    private FacilitatorAccounts accounts;
    private Classrooms classrooms;
    private StudentSessions students;

    @BeforeEach
    void create(DataSource appLogin) {
        app = appLogin;
        heroes = TestHeroes.on(app, clock);
        accounts = heroes.accounts();
        classrooms = heroes.classrooms();
        students = heroes.students();
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    private void test(io.javalin.testtools.TestCase body) {
        JavalinTest.test(TestApps.app(Map.of("HEROES_MAX_BODY_BYTES", "4096"), heroes), body);
    }

    private static JsonNode created(HttpClient client, String token, String name) {
        Response response = send(client, "POST", "/api/v1/classrooms", "{\"name\": \"" + name + "\", \"grade_level\": 5}", token);
        assertThat(response.code()).isEqualTo(201);
        JsonNode classroom = json(response);
        assertThat(header(response, "Location")).isEqualTo("/api/v1/classrooms/" + classroom.get("id").asText());
        return classroom;
    }

    private static String join(String code) {
        return "{\"classroom_code\": \"" + code + "\", \"age_range\": \"10-11\", \"grade_level\": 5}";
    }

    private static String dashed(JsonNode classroom) {
        String code = classroom.get("classroom_code").asText();
        return code.substring(0, 4) + "-" + code.substring(4);
    }

    @Test
    void aFacilitatorCreatesAClassroomAndAStudentJoinsWithItsCode() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            JsonNode room = created(client, dana, "Room 12");
            assertThat(room.get("max_students").asInt()).isEqualTo(30);
            assertThat(room.get("classroom_code").asText()).matches("[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}");
            assertThat(room.get("code_expires_at").isNull()).isTrue();

            Instant before = DatabaseClock.now(app);
            Response joined = send(client, "POST", "/api/v1/student/join", join(dashed(room).toLowerCase()), null);
            Instant after = DatabaseClock.now(app);
            assertThat(joined.code()).isEqualTo(201);
            assertThat(header(joined, "Cache-Control")).isEqualTo("no-store");
            JsonNode body = json(joined);
            assertThat(body.get("classroom").get("name").asText()).isEqualTo("Room 12");
            assertThat(Instant.parse(body.get("expires_at").asText())).as("8 hours on the database's clock")
                    .isBetween(before.plus(Duration.ofHours(8)), after.plus(Duration.ofHours(8)));
            String token = body.get("student_token").asText();

            Response me = send(client, "GET", "/api/v1/student/me", null, token);
            assertThat(me.code()).isEqualTo(200);
            assertThat(json(me).get("classroom").get("grade_level").asInt()).isEqualTo(5);

            Response listed = send(client, "GET", "/api/v1/classrooms/" + room.get("id").asText() + "/students", null, dana);
            assertThat(listed.code()).isEqualTo(200);
            JsonNode item = json(listed).get("items").get(0);
            assertThat(item.get("age_range").asText()).isEqualTo("10-11");
            assertThat(item.get("status").asText()).isEqualTo("active");
            assertThat(json(send(client, "GET", "/api/v1/classrooms/" + room.get("id").asText(), null, dana))
                    .get("student_count").asInt()).isEqualTo(1);
        });
    }

    @Test
    void anotherFacilitatorsClassroomIs404WhateverTheyTry() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        String eli = AuthApps.tokenOf(accounts, "eli@school.example", "facilitator");
        test((server, client) -> {
            JsonNode room = created(client, dana, "Room 12");
            String path = "/api/v1/classrooms/" + room.get("id").asText();
            Response joined = send(client, "POST", "/api/v1/student/join", join(dashed(room)), null);
            String student = json(joined).get("student_token").asText();
            String sid = json(send(client, "GET", path + "/students", null, dana)).get("items").get(0).get("id").asText();

            assertProblem(send(client, "GET", path, null, eli), 404, "not-found");
            assertProblem(send(client, "PATCH", path, "{\"name\": \"Mine\"}", eli), 404, "not-found");
            assertProblem(send(client, "DELETE", path, null, eli), 404, "not-found");
            assertProblem(send(client, "POST", path + "/code", null, eli), 404, "not-found");
            assertProblem(send(client, "GET", path + "/students", null, eli), 404, "not-found");
            assertProblem(send(client, "DELETE", path + "/students/" + sid, null, eli), 404, "not-found");
            assertProblem(send(client, "GET", "/api/v1/classrooms/not-a-uuid", null, eli), 404, "not-found");
            assertThat(json(send(client, "GET", "/api/v1/classrooms", null, eli)).get("items")).isEmpty();

            JsonNode still = json(send(client, "GET", path, null, dana));
            assertThat(still.get("name").asText()).isEqualTo("Room 12");
            assertThat(still.get("classroom_code").asText()).isEqualTo(room.get("classroom_code").asText());
            assertThat(still.get("archived_at").isNull()).isTrue();
            assertThat(send(client, "GET", "/api/v1/student/me", null, student).code()).as("the student's session lives on").isEqualTo(200);
        });
    }

    @Test
    void classroomBodiesAreValidated() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            assertProblem(send(client, "POST", "/api/v1/classrooms", "{\"name\": \"Room\", \"grade_level\": 3}", dana), 400, "validation-failed");
            assertProblem(send(client, "POST", "/api/v1/classrooms", "{\"name\": \"Room\", \"grade_level\": 7}", dana), 400, "validation-failed");
            assertProblem(send(client, "POST", "/api/v1/classrooms", "{\"name\": \"Room\", \"grade_level\": 5, \"max_students\": 31}", dana),
                    400, "validation-failed");
            assertProblem(send(client, "POST", "/api/v1/classrooms", "{\"grade_level\": 5}", dana), 400, "validation-failed");
            assertProblem(send(client, "POST", "/api/v1/classrooms", "{\"name\": \"Room\", \"grade_level\": \"5\"}", dana), 400,
                    "validation-failed");
            assertProblem(send(client, "POST", "/api/v1/classrooms", "{\"name\": \"Room\", \"grade_level\": 5, \"teacher\": \"x\"}", dana),
                    400, "validation-failed");
            assertProblem(send(client, "POST", "/api/v1/classrooms", "{\"name\": ", dana), 400, "malformed-json");
            JsonNode room = created(client, dana, "Room 12");
            String path = "/api/v1/classrooms/" + room.get("id").asText();
            assertProblem(send(client, "PATCH", path, "{}", dana), 400, "validation-failed");
            assertProblem(send(client, "PATCH", path, "{\"code_expires_at\": \"tomorrow\"}", dana), 400, "validation-failed");
            assertProblem(send(client, "PATCH", path, "{\"join_enabled\": \"no\"}", dana), 400, "validation-failed");
            assertThat(json(send(client, "GET", "/api/v1/classrooms", null, dana)).get("items")).hasSize(1);

            String tomorrow = clock.instant().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS).toString();
            JsonNode changed = json(send(client, "PATCH", path, "{\"code_expires_at\": \"" + tomorrow + "\", \"max_students\": 20}", dana));
            assertThat(changed.get("code_expires_at").asText()).isEqualTo(tomorrow);
            assertThat(changed.get("max_students").asInt()).isEqualTo(20);
            assertThat(json(send(client, "PATCH", path, "{\"code_expires_at\": null}", dana)).get("code_expires_at").isNull()).isTrue();
        });
    }

    @Test
    void aJoinTakesOnlyAnAgeRangeAGradeAndAWellFormedCode() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            JsonNode room = created(client, dana, "Room 12");
            String code = room.get("classroom_code").asText();
            String join = "/api/v1/student/join";
            for (String pii : new String[] {"\"name\": \"Sam\"", "\"email\": \"sam@example.org\"", "\"birthday\": \"2015-03-01\""}) {
                assertProblem(send(client, "POST", join, "{\"classroom_code\": \"" + code + "\", \"age_range\": \"10-11\", \"grade_level\": 5, "
                        + pii + "}", null), 400, "validation-failed");
            }
            assertProblem(send(client, "POST", join, "{\"classroom_code\": \"" + code + "\", \"age_range\": \"11\", \"grade_level\": 5}", null),
                    400, "validation-failed");
            assertProblem(send(client, "POST", join, "{\"classroom_code\": \"" + code + "\", \"age_range\": \"10-11\", \"grade_level\": 3}", null),
                    400, "validation-failed");
            assertProblem(send(client, "POST", join, "{\"classroom_code\": \"" + code + "\", \"age_range\": \"10-11\", \"grade_level\": 7}", null),
                    400, "validation-failed");
            assertProblem(send(client, "POST", join, "{\"age_range\": \"10-11\", \"grade_level\": 5}", null), 400, "validation-failed");
            Response sevenLong = send(client, "POST", join, join(code.substring(0, 7)), null);
            assertProblem(sevenLong, 400, "validation-failed");
            assertThat(json(sevenLong).get("errors").get(0).get("pointer").asText()).isEqualTo("/classroom_code");
            assertProblem(send(client, "POST", join, join(code + "A"), null), 400, "validation-failed");
            assertProblem(send(client, "POST", join, join(code.substring(0, 7) + "O"), null), 400, "validation-failed");
            assertProblem(send(client, "POST", join, join(code.substring(0, 7) + "1"), null), 400, "validation-failed");
            assertProblem(send(client, "POST", join, join("ZZZZ-ZZZZ".equals(dashed(room)) ? "YYYY-YYYY" : "ZZZZ-ZZZZ"), null), 404,
                    "code-unknown");
            assertThat(json(send(client, "GET", "/api/v1/classrooms/" + room.get("id").asText(), null, dana)).get("student_count").asInt())
                    .as("nothing refused was seated").isZero();
            assertThat(send(client, "POST", join, join(" " + dashed(room).toLowerCase() + " "), null).code()).isEqualTo(201);
        });
    }

    @Test
    void disabledExpiredAndArchivedCodesAre410AndAFullClassroom409() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            JsonNode room = created(client, dana, "Room 12");
            String path = "/api/v1/classrooms/" + room.get("id").asText();
            String code = room.get("classroom_code").asText();

            send(client, "PATCH", path, "{\"join_enabled\": false}", dana);
            assertProblem(send(client, "POST", "/api/v1/student/join", join(code), null), 410, "code-inactive");
            String aSecondAgo = DatabaseClock.now(app).minusSeconds(1).toString();
            send(client, "PATCH", path, "{\"join_enabled\": true, \"code_expires_at\": \"" + aSecondAgo + "\"}", dana);
            assertProblem(send(client, "POST", "/api/v1/student/join", join(code), null), 410, "code-inactive");
            send(client, "PATCH", path, "{\"code_expires_at\": null, \"max_students\": 1}", dana);
            assertThat(send(client, "POST", "/api/v1/student/join", join(code), null).code()).isEqualTo(201);
            assertProblem(send(client, "POST", "/api/v1/student/join", join(code), null), 409, "classroom-full");
            assertThat(send(client, "DELETE", path, null, dana).code()).isEqualTo(204);
            assertProblem(send(client, "POST", "/api/v1/student/join", join(code), null), 410, "code-inactive");
            assertThat(Instant.parse(json(send(client, "GET", path, null, dana)).get("archived_at").asText()))
                    .as("archiving is a time Java records").isEqualTo(clock.instant());

            JsonNode renewed = json(send(client, "POST", "/api/v1/classrooms/" + created(client, dana, "Room 14").get("id").asText() + "/code",
                    null, dana));
            assertThat(renewed.get("classroom_code").asText()).matches("[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}");
        });
    }

    @Test
    void guessesFromOneAddressAreThrottledButAWholeClassFromItIsNot() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            JsonNode room = created(client, dana, "Room 12");
            String code = room.get("classroom_code").asText();
            for (int i = 0; i < 30; i++) {
                assertThat(send(client, "POST", "/api/v1/student/join", join(code), null).code()).as("student " + i).isEqualTo(201);
            }
            String other = code.startsWith("Z") ? "YYYYYYYY" : "ZZZZZZZZ";
            // the guesses must fall in one 10-minute window of the database's clock, which counts them
            DatabaseClock.awayFromWindowEnd(app, java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(20));
            for (int i = 0; i < org.heroesinwaiting.persistence.classroom.DatabaseStudentSessions.DEFAULT_FAILURE_LIMIT; i++) {
                assertProblem(send(client, "POST", "/api/v1/student/join", join(other), null), 404, "code-unknown");
            }
            Response throttled = send(client, "POST", "/api/v1/student/join", join(other), null);
            assertProblem(throttled, 429, "rate-limited");
            assertThat(Integer.parseInt(header(throttled, "Retry-After"))).isBetween(1, 600);
        });
    }

    @Test
    void studentAndFacilitatorTokensAreNeverInterchangeableAndAnEndedSessionIsRefused() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            JsonNode room = created(client, dana, "Room 12");
            String student = json(send(client, "POST", "/api/v1/student/join", join(room.get("classroom_code").asText()), null))
                    .get("student_token").asText();

            assertProblem(send(client, "GET", "/api/v1/classrooms", null, student), 401, "unauthorized");
            assertProblem(send(client, "GET", "/api/v1/me", null, student), 401, "unauthorized");
            assertProblem(send(client, "GET", "/api/v1/student/me", null, dana), 401, "unauthorized");
            assertProblem(send(client, "GET", "/api/v1/student/me", null, null), 401, "unauthorized");
            assertProblem(send(client, "GET", "/api/v1/student/me", null, "x".repeat(43)), 401, "unauthorized");

            String path = "/api/v1/classrooms/" + room.get("id").asText();
            String sid = json(send(client, "GET", path + "/students", null, dana)).get("items").get(0).get("id").asText();
            assertThat(send(client, "DELETE", path + "/students/" + sid, null, dana).code()).isEqualTo(204);
            assertProblem(send(client, "DELETE", path + "/students/" + sid, null, dana), 404, "not-found");
            assertProblem(send(client, "GET", "/api/v1/student/me", null, student), 401, "unauthorized");
            assertThat(json(send(client, "GET", path + "/students", null, dana)).get("items").get(0).get("status").asText()).isEqualTo("ended");
        });
    }
}
