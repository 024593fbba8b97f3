package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The main queries can be served by the index meant for them, planned as production runs them: as
 * the application role with its actor set (so with row level security's predicates), or as the
 * owner inside a SECURITY DEFINER function. The tables of a test are tiny, so sequential scans are
 * switched off: the question is whether a fitting index exists, not whether the planner would
 * prefer it on three rows.
 */
class QueryPlanTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().perClass();

    private static Jdbi owner;
    private static TransactionRunner app;
    private static Tenants tenants;

    @BeforeAll
    static void seed(@Owner Jdbi ownerJdbi, DataSource appLogin) {
        owner = ownerJdbi;
        app = Fixtures.transactions(appLogin);
        tenants = new Tenants(ownerJdbi);
        // Enough rows, spread as in use, that the planner's choice between indexes is not a coin toss.
        ownerJdbi.useHandle(handle -> {
            handle.execute("""
                    INSERT INTO auth_attempts (email_hash, ip_address, outcome, attempted_at)
                    SELECT sha256(('user' || (i % 100))::bytea), ('10.0.' || (i % 7) || '.1')::inet, 'bad_credentials',
                           now() - make_interval(mins => i)
                      FROM generate_series(1, 3000) i""");
            // a school day: a hundred classrooms of thirty live sessions each
            handle.createUpdate("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                    SELECT :f, 'Room ' || i, 'ZZ' || (SELECT string_agg(substr('ABCDEFGHJKMNPQRSTUVWXYZ23456789',
                                                       1 + (i / (31 ^ k)::int) % 31, 1), '' ORDER BY k) FROM generate_series(0, 5) k), 5
                      FROM generate_series(1, 100) i""").bind("f", tenants.b.facilitator()).execute();
            handle.createUpdate("""
                    INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, expires_at)
                    SELECT c.id, sha256((c.id::text || i)::bytea), '{"age_range": "12-13", "grade_level": 6}', now() + interval '8 hours'
                      FROM classrooms c, generate_series(1, 30) i WHERE c.facilitator_id = :f""").bind("f", tenants.b.facilitator()).execute();
            // and yesterday's, ended
            handle.createUpdate("""
                    INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at, ended_at)
                    SELECT c.id, sha256((c.id::text || 'old' || i)::bytea), '{"age_range": "8-9", "grade_level": 4}',
                           now() - interval '30 hours', now() - interval '22 hours', now() - interval '22 hours'
                      FROM classrooms c, generate_series(1, 30) i WHERE c.facilitator_id = :f""").bind("f", tenants.b.facilitator()).execute();
            handle.createUpdate("""
                    INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, idempotency_key, submitted_at)
                    SELECT :s, :c, :l, 1 + i % 5, 'calm', 'bulk-' || i, now() - make_interval(days => i % 400)
                      FROM generate_series(1, 3000) i""")
                    .bind("s", tenants.b.studentSession()).bind("c", tenants.b.classroom()).bind("l", tenants.lesson).execute();
            handle.execute("ANALYZE");
        });
    }

    @ParameterizedTest(name = "{1} as {2}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM facilitators WHERE email = 'a@school.example'|idx_facilitators_email|system",
        "SELECT * FROM facilitator_sessions WHERE token_hash = sha256('x'::bytea)|idx_facilitator_sessions_token|system",
        "SELECT id FROM facilitator_sessions WHERE revoked_at IS NULL AND expires_at <= now()|facilitator_sessions_live_expires_at_idx|owner",
        "SELECT * FROM facilitator_retired_tokens WHERE token_hash = sha256('x'::bytea)|facilitator_retired_tokens_pkey|system",
        "SELECT count(*) FROM auth_attempts WHERE email_hash = sha256('x'::bytea) AND attempted_at > now() - interval '15 minutes'|auth_attempts_email_hash_attempted_at_idx|system",
        "SELECT count(*) FROM auth_attempts WHERE ip_address = '203.0.113.9' AND attempted_at > now() - interval '15 minutes'|auth_attempts_ip_address_attempted_at_idx|system",
        "SELECT * FROM classrooms WHERE classroom_code = 'AAAABBBB'|idx_classrooms_code|owner",
        "SELECT * FROM classrooms WHERE facilitator_id = 'FACILITATOR' AND archived_at IS NULL ORDER BY created_at|classrooms_active_facilitator_id_idx|facilitator",
        "SELECT count(*) FROM student_sessions WHERE classroom_id = 'CLASSROOM' AND ended_at IS NULL AND expires_at > now()|student_sessions_live_classroom_id_idx|owner",
        "SELECT * FROM student_sessions WHERE session_token_hash = sha256('x'::bytea)|student_sessions_session_token_hash_key|owner",
        "SELECT id FROM student_sessions WHERE ended_at IS NULL AND expires_at <= now()|student_sessions_live_expires_at_idx|owner",
        "SELECT * FROM lesson_content WHERE lesson_id = 'LESSON' ORDER BY order_index|idx_lesson_content_order|facilitator",
        "SELECT rating, count(*) FROM student_feedback WHERE lesson_id = 'LESSON' GROUP BY rating|idx_student_feedback_lesson|facilitator",
        "SELECT count(*) FROM student_feedback WHERE submitted_at >= now() - interval '30 days'|idx_student_feedback_submitted|admin",
        "SELECT lesson_id, count(*) FROM student_progress WHERE classroom_id = 'CLASSROOM' GROUP BY lesson_id|student_progress_classroom_id_lesson_id_idx|facilitator",
        "SELECT * FROM classroom_sessions WHERE classroom_id = 'CLASSROOM' ORDER BY started_at DESC|classroom_sessions_classroom_id_started_at_idx|facilitator",
        "SELECT * FROM classroom_sessions WHERE classroom_id = 'CLASSROOM' AND ended_at IS NULL|classroom_sessions_one_open_per_classroom|facilitator",
        "SELECT lesson_id, rating, count(*) FROM student_feedback WHERE classroom_id = 'CLASSROOM' GROUP BY lesson_id, rating|student_feedback_classroom_id_lesson_id_idx|facilitator",
        "SELECT * FROM lesson_content WHERE sha256 = 'SHA'|lesson_content_sha256_idx|system",
        // the application's form (a timestamptz bound); the guide's "created_at >= CURRENT_DATE - INTERVAL '7 days'"
        // compares with a timestamp, a cast that is not leakproof, so under row level security it cannot use the
        // index: it is a DBA's query, run as the owner
        "SELECT * FROM security_incidents WHERE created_at >= now() - interval '7 days'|security_incidents_created_at_idx|admin",
        "SELECT * FROM security_incidents WHERE created_at >= CURRENT_DATE - INTERVAL '7 days'|security_incidents_created_at_idx|owner",
        "SELECT * FROM audit_log WHERE table_name = 'classrooms' AND occurred_at >= now() - interval '1 day'|table_name_occurred_at_idx|admin",
        "SELECT * FROM audit_log WHERE facilitator_id = 'FACILITATOR' AND occurred_at >= now() - interval '1 day'|facilitator_id_occurred_at_idx|admin",
    })
    void theQueryUsesItsIndex(String query, String index, String actor) {
        String sql = "EXPLAIN " + query.replace("CLASSROOM", tenants.a.classroom().toString())
                .replace("FACILITATOR", tenants.a.facilitator().toString()).replace("LESSON", tenants.lesson.toString())
                .replace("SHA", "0".repeat(64));
        HandleCallback<List<String>, RuntimeException> explain = handle -> {
            handle.execute("SET LOCAL enable_seqscan = off");
            return handle.createQuery(sql).mapTo(String.class).list();
        };
        // A query the application runs itself is planned as heroes_app with its actor set, so its plan has
        // the row level security predicates production's has; one that runs inside a SECURITY DEFINER
        // function (a join, a token check, the expiry jobs) is planned as the owner, as the function runs.
        List<String> plan = switch (actor) {
            case "owner" -> owner.inTransaction(explain);
            case "system" -> app.inTransaction(ActorContext.system("plan"), explain);
            case "facilitator" -> app.inTransaction(ActorContext.facilitator(tenants.a.facilitator(), "plan", null), explain);
            case "admin" -> app.inTransaction(ActorContext.admin(tenants.a.facilitator(), "plan", null), explain);
            default -> throw new IllegalArgumentException(actor);
        };

        assertThat(String.join("\n", plan)).contains(index);
        if (!actor.equals("owner")) {
            String role = app.inTransaction(ActorContext.system("who"), handle -> handle.createQuery("SELECT current_user")
                    .mapTo(String.class).one());
            assertThat(role).as("planned as the application role").isEqualTo("heroes_app");
        }
    }
}
