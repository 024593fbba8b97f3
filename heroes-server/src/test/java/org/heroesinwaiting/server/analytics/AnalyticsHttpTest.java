package org.heroesinwaiting.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;
import static org.heroesinwaiting.server.support.Requests.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.analytics.AnalyticsReader;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** {@code GET /api/v1/admin/analytics/{view}}: the views' rows, suppressed as the views suppress them, as JSON and CSV. */
class AnalyticsHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    /** Two months back, lesson 1 begun by 6 students of grade 5 aged 10-11 in each of two classrooms, and by 3 aged 8-9 in one. */
    static void school(Jdbi owner) {
        owner.useTransaction(handle -> {
            handle.execute("INSERT INTO lessons (lesson_number, title) VALUES (1, 'Lesson one')");
            handle.execute("""
                    INSERT INTO lesson_content (lesson_id, content_type, title, order_index, file_path)
                    SELECT id, 'handout', 'Handout', 0, 'lesson/handout.txt' FROM lessons""");
            handle.execute("""
                    INSERT INTO facilitators (email, password_hash, display_name)
                    VALUES ('a@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'A'),
                           ('b@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'B')""");
            handle.execute("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                    SELECT f.id, 'Room ' || f.display_name, f.display_name || 'AAABBBB', 5 FROM facilitators f""");
            handle.execute("""
                    INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at, last_seen_at)
                    SELECT c.id, sha256(convert_to(gen_random_uuid()::text, 'UTF8')), jsonb_build_object('age_range', g.ages, 'grade_level', 5),
                           d.at, d.at + interval '8 hours', d.at + interval '1 hour'
                      FROM classrooms c
                      CROSS JOIN (SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '2 months' + interval '3 days 9 hours')
                                         AT TIME ZONE 'UTC' AS at) d
                      JOIN (VALUES ('Room A', '10-11', 6), ('Room B', '10-11', 6), ('Room A', '8-9', 3)) g (room, ages, n) ON g.room = c.name
                      CROSS JOIN LATERAL generate_series(1, g.n)""");
            handle.execute("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT s.id, s.classroom_id, c.lesson_id, c.id, 'started', s.created_at + interval '1 minute', NULL, 60, 'p',
                           s.created_at + interval '1 minute'
                      FROM student_sessions s CROSS JOIN lesson_content c""");
            handle.execute("SELECT count(*) FROM refresh_analytics()");
        });
    }

    @Test
    void anAdminReadsAViewAsJsonAndAsCsvFilteredAndSuppressedAndBadFiltersSayWhichParameter(DataSource app, @Owner Jdbi owner) {
        school(owner);
        try (Heroes heroes = TestHeroes.on(app)) {
            String admin = AuthApps.tokenOf(heroes.accounts(), "admin@district.example", "admin");
            String teacher = AuthApps.tokenOf(heroes.accounts(), "t@school.example", "facilitator");
            JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
                JsonNode completion = json(send(client, "GET", "/api/v1/admin/analytics/lesson-completion?lesson=1&grade=5", null, admin));
                assertThat(completion.get("view").asText()).isEqualTo("lesson-completion");
                assertThat(completion.get("k_anonymity").asInt()).isEqualTo(5);
                assertThat(completion.get("rows")).hasSize(2);
                JsonNode published = completion.get("rows").get(0);
                assertThat(published.get("age_range").asText()).isEqualTo("10-11");
                assertThat(published.get("sessions_started").asInt()).isEqualTo(12);
                assertThat(published.get("suppressed").asBoolean()).isFalse();
                assertThat(published.get("month").asText()).matches("[0-9]{4}-[0-9]{2}-01");
                JsonNode hidden = completion.get("rows").get(1);
                assertThat(hidden.get("age_range").asText()).isEqualTo("8-9");
                assertThat(hidden.get("sessions_started").isNull()).as("3 students of one classroom").isTrue();
                assertThat(hidden.get("suppressed").asBoolean()).isTrue();
                assertThat(json(send(client, "GET", "/api/v1/admin/analytics/lesson-completion?age_range=12-13", null, admin)).get("rows"))
                        .isEmpty();

                Response csv = client.request("/api/v1/admin/analytics/join-demographics", request -> request.get()
                        .header("Accept", "text/csv").header("Authorization", "Bearer " + admin));
                assertThat(csv.code()).isEqualTo(200);
                assertThat(header(csv, "Content-Type")).startsWith("text/csv");
                String body = csv.body().string();
                assertThat(body.split("\r\n")).hasSize(3);
                assertThat(body).startsWith("month,grade_level,age_range,student_sessions,suppressed\r\n")
                        .contains(",5,10-11,12,false\r\n", ",5,8-9,,true\r\n");

                assertProblem(send(client, "GET", "/api/v1/admin/analytics/lesson-completion?grade=7", null, admin), 400, "validation-failed");
                Response unknownLesson = send(client, "GET", "/api/v1/admin/analytics/lesson-completion?lesson=12", null, admin);
                assertProblem(unknownLesson, 400, "validation-failed");
                assertThat(json(unknownLesson).get("errors").get(0).get("pointer").asText()).isEqualTo("/lesson");
                Response upsideDown = send(client, "GET", "/api/v1/admin/analytics/engagement?from=2026-03-01&to=2026-01-01", null, admin);
                assertProblem(upsideDown, 400, "validation-failed");
                assertThat(json(upsideDown).get("errors").get(0).get("pointer").asText()).isEqualTo("/to");
                Response noLessons = send(client, "GET", "/api/v1/admin/analytics/engagement?lesson=1", null, admin);
                assertThat(json(noLessons).get("errors").get(0).get("detail").asText()).contains("not per lesson");
                assertProblem(send(client, "GET", "/api/v1/admin/analytics/lesson-completion?from=2026-02-30", null, admin), 400,
                        "validation-failed");
                assertProblem(send(client, "GET", "/api/v1/admin/analytics/pupils", null, admin), 404, "not-found");
                assertProblem(send(client, "GET", "/api/v1/admin/analytics/engagement", null, teacher), 403, "forbidden");
                assertProblem(send(client, "GET", "/api/v1/admin/analytics/engagement", null, null), 401, "unauthorized");
            });
        }
    }

    @Test
    void anUnreachableAnalyticsReplicaIsA503AndTheRestIsServed(DataSource app) {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/heroes_in_waiting");
        try (Heroes heroes = TestHeroes.on(app)) {
            String admin = AuthApps.tokenOf(heroes.accounts(), "admin@district.example", "admin");
            Javalin server = HeroesServer.builder(TestApps.config(Map.of())).library(heroes).analytics(AnalyticsReader.on(nowhere)).build();
            JavalinTest.test(server, (running, client) -> {
                assertProblem(send(client, "GET", "/api/v1/admin/analytics/engagement", null, admin), 503, "overloaded");
                assertThat(send(client, "GET", "/api/v1/me", null, admin).code()).isEqualTo(200);
            });
        }
    }
}

