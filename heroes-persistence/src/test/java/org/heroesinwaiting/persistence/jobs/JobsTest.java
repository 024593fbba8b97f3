package org.heroesinwaiting.persistence.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The jobs' database work, run as the application (as the scheduler runs them). */
class JobsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void expireSessionsEndsOnlyTheSessionsPastTheirEnd(@Owner Jdbi owner, DataSource app) {
        Map<String, UUID> ids = owner.inTransaction(handle -> {
            UUID facilitator = handle.createQuery("""
                    INSERT INTO facilitators (email, password_hash, display_name)
                    VALUES ('t@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'T') RETURNING id""")
                    .mapTo(UUID.class).one();
            UUID classroom = handle.createQuery("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level) VALUES (:f, 'C', 'MMMMNNNN', 4) RETURNING id""")
                    .bind("f", facilitator).mapTo(UUID.class).one();
            return Map.of(
                    "oldAdult", session(handle, facilitator, "old", "2026-01-01T00:00:00Z", "2026-01-31T00:00:00Z"),
                    "liveAdult", session(handle, facilitator, "live", "2026-01-20T00:00:00Z", "2026-03-01T00:00:00Z"),
                    "oldChild", student(handle, classroom, "c-old", "2026-01-31T08:00:00Z", "2026-01-31T16:00:00Z"),
                    "liveChild", student(handle, classroom, "c-live", "2026-02-01T08:00:00Z", "2026-02-01T16:00:00Z"));
        });

        JobOutcome outcome = new ExpireSessionsJob(app).run(Instant.parse("2026-02-01T09:00:00Z"));

        assertThat(outcome.detail()).isEqualTo("expired 1 facilitator sessions, 1 student sessions");
        assertThat(single(owner, "SELECT revoke_reason FROM facilitator_sessions WHERE id = :id", ids.get("oldAdult")))
                .isEqualTo("expired");
        assertThat(single(owner, "SELECT (revoked_at IS NULL)::text FROM facilitator_sessions WHERE id = :id", ids.get("liveAdult")))
                .isEqualTo("true");
        assertThat(single(owner, "SELECT (ended_at = expires_at)::text FROM student_sessions WHERE id = :id", ids.get("oldChild")))
                .isEqualTo("true");
        assertThat(single(owner, "SELECT (ended_at IS NULL)::text FROM student_sessions WHERE id = :id", ids.get("liveChild")))
                .isEqualTo("true");
        assertThat(new ExpireSessionsJob(app).run(Instant.parse("2026-02-01T09:00:00Z")).detail())
                .as("a second run finds nothing left").isEqualTo("expired 0 facilitator sessions, 0 student sessions");
    }

    @Test
    void auditPartitionsCreatesWhatIsMissingAndNothingTwice(DataSource app, @Owner Jdbi owner) {
        Instant nextYear = Instant.now().plus(400, ChronoUnit.DAYS);

        JobOutcome first = new AuditPartitionsJob(app).run(nextYear);
        JobOutcome second = new AuditPartitionsJob(app).run(nextYear);
        JobOutcome now = new AuditPartitionsJob(app).run(Instant.now());

        assertThat(first.detail()).isEqualTo("created 4 partitions");
        assertThat(second.detail()).startsWith("every partition");
        assertThat(now.detail()).as("the migration made this month's and the next three").startsWith("every partition");
        long partitions = owner.withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_log'::regclass").mapTo(Long.class).one());
        assertThat(partitions).isEqualTo(8);
    }

    private static String single(Jdbi jdbi, String sql, UUID id) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).bind("id", id).mapTo(String.class).one());
    }

    private static UUID session(org.jdbi.v3.core.Handle handle, UUID facilitator, String token, String created, String expires) {
        return handle.createQuery("""
                INSERT INTO facilitator_sessions (facilitator_id, token_hash, created_at, expires_at)
                VALUES (:f, sha256(CAST(:t AS bytea)), CAST(:c AS timestamptz), CAST(:e AS timestamptz)) RETURNING id""")
                .bind("f", facilitator).bind("t", token).bind("c", created).bind("e", expires).mapTo(UUID.class).one();
    }

    private static UUID student(org.jdbi.v3.core.Handle handle, UUID classroom, String token, String created, String expires) {
        return handle.createQuery("""
                INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at)
                VALUES (:c, sha256(CAST(:t AS bytea)), '{"age_range": "8-9", "grade_level": 4}', CAST(:cr AS timestamptz),
                        CAST(:e AS timestamptz)) RETURNING id""")
                .bind("c", classroom).bind("t", token).bind("cr", created).bind("e", expires).mapTo(UUID.class).one();
    }
}
