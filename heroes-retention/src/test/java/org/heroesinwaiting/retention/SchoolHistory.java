package org.heroesinwaiting.retention;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * A small school's past, written as the owner with every time dated back from the database's
 * {@code now()} (never a calendar date): for each of {@code months} months, in each of two
 * classrooms (facilitators A and B), one lesson taught, {@code students} anonymous students who
 * joined it, each with two progress rows and one feedback row naming the lesson; a security
 * incident a month (every third one never resolved); 30 audit rows a month, the older ones in the
 * default partition as on a server that was stopped; and rows for the plain purges.
 *
 * <p>Beside them, {@code history_clocks} records for every row the test's own reading of the
 * retention rule: {@code live_clock}, the time that must be older than the live period before the
 * row leaves its live table, and {@code purge_clock}, older than the total period before it is
 * deleted. A test compares where each row is with where this says it must be.
 */
final class SchoolHistory {

    static final String PASSWORD_HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

    /** When the history was written: the database's now(), which every time is counted back from. */
    final Instant writtenAt;
    final int months;
    final int students;

    private SchoolHistory(Instant writtenAt, int months, int students) {
        this.writtenAt = writtenAt;
        this.months = months;
        this.students = students;
    }

    static SchoolHistory write(Jdbi owner, int months, int students) {
        Instant t0 = owner.inTransaction(handle -> {
            handle.execute("""
                    INSERT INTO lessons (lesson_number, title) SELECT n, 'Lesson ' || n FROM generate_series(1, 12) n""");
            handle.execute("""
                    INSERT INTO lesson_content (lesson_id, content_type, title, order_index, file_path)
                    SELECT id, 'handout', 'Handout', 0, 'lesson/handout.txt' FROM lessons""");
            handle.execute("""
                    INSERT INTO facilitators (email, password_hash, display_name)
                    VALUES ('a@school.example', ?, 'A'), ('b@school.example', ?, 'B')""", PASSWORD_HASH, PASSWORD_HASH);
            handle.execute("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                    SELECT f.id, 'Room ' || f.display_name, CASE f.display_name WHEN 'A' THEN 'AAAABBBB' ELSE 'CCCCDDDD' END, 5
                      FROM facilitators f""");
            handle.execute("""
                    CREATE TABLE history_clocks (table_name text, id text, live_clock timestamptz, purge_clock timestamptz,
                                                 PRIMARY KEY (table_name, id))""");
            return handle.createQuery("SELECT now()").mapTo(Instant.class).one();
        });
        owner.useTransaction(handle -> {
            // a lesson a month in each classroom; its students stay 8 hours (their last activity)
            handle.execute("""
                    INSERT INTO classroom_sessions (classroom_id, lesson_id, started_at, ended_at)
                    SELECT c.id, l.id, now() - make_interval(months => m) - interval '3 days',
                           now() - make_interval(months => m) - interval '3 days' + interval '1 hour'
                      FROM classrooms c CROSS JOIN generate_series(0, ? - 1) m JOIN lessons l ON l.lesson_number = m % 12 + 1""", months);
            handle.execute("""
                    INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at,
                                                  last_seen_at, ended_at)
                    SELECT cs.classroom_id, sha256(convert_to(cs.id::text || '/' || s, 'UTF8')), '{"age_range":"10-11","grade_level":5}',
                           cs.started_at, cs.started_at + interval '8 hours', cs.started_at + interval '50 minutes',
                           cs.started_at + interval '8 hours'
                      FROM classroom_sessions cs CROSS JOIN generate_series(1, ?) s""", students);
            handle.execute("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT ss.id, ss.classroom_id, cs.lesson_id, lc.id, 'completed', ss.created_at + interval '1 minute',
                           ss.created_at + interval '20 minutes', 1140, 'progress-' || k, ss.created_at + interval '20 minutes'
                      FROM student_sessions ss
                      JOIN classroom_sessions cs ON cs.classroom_id = ss.classroom_id AND cs.started_at = ss.created_at
                      JOIN lesson_content lc ON lc.lesson_id = cs.lesson_id CROSS JOIN generate_series(1, 2) k""");
            handle.execute("""
                    INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, classroom_session_id, rating, mood,
                                                  answers, submitted_at, idempotency_key)
                    SELECT ss.id, ss.classroom_id, cs.lesson_id, cs.id, 4, 'happy', '{"liked":"yes"}',
                           ss.created_at + interval '45 minutes', 'feedback-1'
                      FROM student_sessions ss
                      JOIN classroom_sessions cs ON cs.classroom_id = ss.classroom_id AND cs.started_at = ss.created_at""");
            handle.execute("""
                    INSERT INTO security_incidents (incident_type, severity, description, status, created_at, resolved_at)
                    SELECT 'join_code_guessing', 'medium', 'month ' || m, CASE WHEN m % 3 = 0 THEN 'open' ELSE 'resolved' END,
                           now() - make_interval(months => m) - interval '10 days',
                           CASE WHEN m % 3 = 0 THEN NULL ELSE now() - make_interval(months => m) - interval '9 days' END
                      FROM generate_series(0, ? - 1) m""", months);
            // months from 30 back have partitions; older rows wait in the default partition
            handle.execute("SELECT app.ensure_audit_partitions(36, now() - interval '30 months')");
            handle.execute("""
                    INSERT INTO audit_log (occurred_at, table_name, operation, row_key, changed_columns, actor_role, database_role,
                                           transaction_id, request_id)
                    SELECT now() - make_interval(months => m) - make_interval(hours => h), 'classrooms', 'UPDATE', '{"id":"x"}', '{name}',
                           'facilitator', 'heroes_app', 1, 'history'
                      FROM generate_series(0, ? - 1) m CROSS JOIN generate_series(1, 30) h""", months);
            plainPurges(handle);
            clocks(handle);
        });
        return new SchoolHistory(t0, months, students);
    }

    /** Sessions ended 10, 100 and 400 days ago (each with a retired token), logins, and job runs. */
    private static void plainPurges(org.jdbi.v3.core.Handle handle) {
        handle.execute("""
                INSERT INTO facilitator_sessions (facilitator_id, token_hash, expires_at, created_at, last_used_at, revoked_at, revoke_reason)
                SELECT f.id, sha256(convert_to(f.id::text || d, 'UTF8')), now() - make_interval(days => d) + interval '30 days',
                       now() - make_interval(days => d) - interval '1 day', now() - make_interval(days => d),
                       now() - make_interval(days => d), 'logout'
                  FROM facilitators f CROSS JOIN (VALUES (10), (100), (400)) v(d)""");
        handle.execute("""
                INSERT INTO facilitator_retired_tokens (token_hash, session_id, retired_at)
                SELECT sha256(convert_to(s.id::text || 'old', 'UTF8')), s.id, s.created_at + interval '1 hour' FROM facilitator_sessions s""");
        handle.execute("""
                INSERT INTO auth_attempts (email_hash, ip_address, outcome, attempted_at)
                SELECT sha256(convert_to('a@school.example', 'UTF8')), '192.0.2.1', 'succeeded', now() - make_interval(days => d)
                  FROM (VALUES (1), (50), (100), (200)) v(d)""");
        handle.execute("""
                INSERT INTO job_runs (job_name, trigger, instance, started_at, finished_at, outcome)
                SELECT j, 'scheduler', 'test', now() - make_interval(days => d), now() - make_interval(days => d) + interval '1 second',
                       'succeeded'
                  FROM (VALUES ('expire-sessions', 1), ('expire-sessions', 100), ('expire-sessions', 200), ('rare-job', 300)) v(j, d)""");
    }

    /** The test's own reading of the rule, row by row. */
    private static void clocks(org.jdbi.v3.core.Handle handle) {
        // a student session, its progress and its feedback: the session's end, 8 hours after the lesson began
        handle.execute("""
                INSERT INTO history_clocks
                SELECT 'student_sessions', s.id::text, s.created_at + interval '8 hours', s.created_at + interval '8 hours'
                  FROM student_sessions s
                UNION ALL
                SELECT 'student_progress', p.id::text, s.created_at + interval '8 hours', s.created_at + interval '8 hours'
                  FROM student_progress p JOIN student_sessions s ON s.id = p.student_session_id
                UNION ALL
                SELECT 'student_feedback', f.id::text, s.created_at + interval '8 hours', s.created_at + interval '8 hours'
                  FROM student_feedback f JOIN student_sessions s ON s.id = f.student_session_id
                UNION ALL
                -- a lesson taught ends after an hour, but its students' feedback refers to it until they move
                SELECT 'classroom_sessions', cs.id::text, cs.started_at + interval '8 hours', cs.started_at + interval '1 hour'
                  FROM classroom_sessions cs
                UNION ALL
                -- resolved: two years after resolution; never resolved: live until three years old, then gone
                SELECT 'security_incidents', i.id::text, coalesce(i.resolved_at, i.created_at + interval '1 year'),
                       coalesce(i.resolved_at, i.created_at)
                  FROM security_incidents i
                UNION ALL
                -- whole months: a row leaves when its month has wholly passed the period (one microsecond before its end)
                SELECT 'audit_log', a.id::text,
                       (date_trunc('month', a.occurred_at AT TIME ZONE 'UTC') + interval '1 month' - interval '1 microsecond') AT TIME ZONE 'UTC',
                       (date_trunc('month', a.occurred_at AT TIME ZONE 'UTC') + interval '1 month' - interval '1 microsecond') AT TIME ZONE 'UTC'
                  FROM audit_log a WHERE a.request_id = 'history'""");
    }
}
