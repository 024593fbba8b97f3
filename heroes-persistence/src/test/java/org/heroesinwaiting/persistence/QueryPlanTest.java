package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The main queries can be served by the index meant for them. The tables of a test are tiny, so
 * sequential scans are switched off: the question is whether a fitting index exists, not whether
 * the planner would prefer it on three rows.
 */
class QueryPlanTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().perClass();

    private static Jdbi owner;
    private static Tenants tenants;

    @BeforeAll
    static void seed(@Owner Jdbi ownerJdbi) {
        owner = ownerJdbi;
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

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "SELECT * FROM facilitators WHERE email = 'a@school.example'|idx_facilitators_email",
        "SELECT * FROM facilitator_sessions WHERE token_hash = sha256('x'::bytea)|idx_facilitator_sessions_token",
        "SELECT id FROM facilitator_sessions WHERE revoked_at IS NULL AND expires_at <= now()|facilitator_sessions_live_expires_at_idx",
        "SELECT * FROM facilitator_retired_tokens WHERE token_hash = sha256('x'::bytea)|facilitator_retired_tokens_pkey",
        "SELECT count(*) FROM auth_attempts WHERE email_hash = sha256('x'::bytea) AND attempted_at > now() - interval '15 minutes'|auth_attempts_email_hash_attempted_at_idx",
        "SELECT count(*) FROM auth_attempts WHERE ip_address = '203.0.113.9' AND attempted_at > now() - interval '15 minutes'|auth_attempts_ip_address_attempted_at_idx",
        "SELECT * FROM classrooms WHERE classroom_code = 'AAAABBBB'|idx_classrooms_code",
        "SELECT * FROM classrooms WHERE facilitator_id = 'FACILITATOR' AND archived_at IS NULL ORDER BY created_at|classrooms_active_facilitator_id_idx",
        "SELECT count(*) FROM student_sessions WHERE classroom_id = 'CLASSROOM' AND ended_at IS NULL AND expires_at > now()|student_sessions_live_classroom_id_idx",
        "SELECT * FROM student_sessions WHERE session_token_hash = sha256('x'::bytea)|student_sessions_session_token_hash_key",
        "SELECT id FROM student_sessions WHERE ended_at IS NULL AND expires_at <= now()|student_sessions_live_expires_at_idx",
        "SELECT * FROM lesson_content WHERE lesson_id = 'LESSON' ORDER BY order_index|idx_lesson_content_order",
        "SELECT rating, count(*) FROM student_feedback WHERE lesson_id = 'LESSON' GROUP BY rating|idx_student_feedback_lesson",
        "SELECT count(*) FROM student_feedback WHERE submitted_at >= now() - interval '30 days'|idx_student_feedback_submitted",
        "SELECT lesson_id, count(*) FROM student_progress WHERE classroom_id = 'CLASSROOM' GROUP BY lesson_id|student_progress_classroom_id_lesson_id_idx",
        "SELECT * FROM classroom_sessions WHERE classroom_id = 'CLASSROOM' ORDER BY started_at DESC|classroom_sessions_classroom_id_started_at_idx",
        "SELECT * FROM classroom_sessions WHERE classroom_id = 'CLASSROOM' AND ended_at IS NULL|classroom_sessions_one_open_per_classroom",
        "SELECT lesson_id, rating, count(*) FROM student_feedback WHERE classroom_id = 'CLASSROOM' GROUP BY lesson_id, rating|student_feedback_classroom_id_lesson_id_idx",
        "SELECT * FROM lesson_content WHERE sha256 = 'SHA'|lesson_content_sha256_idx",
        "SELECT * FROM security_incidents WHERE created_at >= CURRENT_DATE - INTERVAL '7 days'|security_incidents_created_at_idx",
        "SELECT * FROM audit_log WHERE table_name = 'classrooms' AND occurred_at >= now() - interval '1 day'|table_name_occurred_at_idx",
        "SELECT * FROM audit_log WHERE facilitator_id = 'FACILITATOR' AND occurred_at >= now() - interval '1 day'|facilitator_id_occurred_at_idx",
    })
    void theQueryUsesItsIndex(String query, String index) {
        List<String> plan = owner.inTransaction(handle -> {
            handle.execute("SET LOCAL enable_seqscan = off");
            return handle.createQuery("EXPLAIN " + query.replace("CLASSROOM", tenants.a.classroom().toString())
                    .replace("FACILITATOR", tenants.a.facilitator().toString()).replace("LESSON", tenants.lesson.toString()).replace("SHA", "0".repeat(64)))
                    .mapTo(String.class).list();
        });

        assertThat(String.join("\n", plan)).contains(index);
    }
}
