package org.heroesinwaiting.bench.retention;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.TestDatabase;

/**
 * What the retention benchmarks share: data dated in the past, written as the owner, and psql on
 * the same database for the baselines.
 */
public final class RetentionData {

    private RetentionData() {
    }

    /**
     * Student sessions that joined 30 months ago, in classrooms of 30, each with {@code progress}
     * progress rows and one feedback row; the audit trigger is off while they are written (their
     * audit rows are not what is measured) and on again after.
     */
    public static void students(DataSource ownerLogin, int sessions, int progress) throws SQLException {
        int classrooms = (sessions + 29) / 30;
        try (Connection owner = ownerLogin.getConnection(); Statement sql = owner.createStatement()) {
            owner.setAutoCommit(false);
            sql.execute("ALTER TABLE student_sessions DISABLE TRIGGER student_sessions_audit");
            sql.execute("ALTER TABLE classrooms DISABLE TRIGGER classrooms_audit");
            // a database with a curriculum (the server's embedded default) keeps it
            sql.execute("INSERT INTO lessons (lesson_number, title) SELECT n, 'Lesson ' || n FROM generate_series(1, 12) n ON CONFLICT DO NOTHING");
            sql.execute("""
                    INSERT INTO lesson_content (lesson_id, content_type, title, order_index, file_path)
                    SELECT l.id, 'handout', 'Handout', 0, 'lesson/handout.txt' FROM lessons l
                     WHERE NOT EXISTS (SELECT 1 FROM lesson_content c WHERE c.lesson_id = l.id)""");
            sql.execute("""
                    INSERT INTO facilitators (email, password_hash, display_name)
                    VALUES ('retention-bench@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'Bench')""");
            try (PreparedStatement rooms = owner.prepareStatement("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                    SELECT f.id, 'Room ' || n, translate(lpad(to_hex(n), 8, '0'), '0123456789abcdef', 'ABCDEFGHJKMNPQRS'), 5
                      FROM facilitators f, generate_series(1, ?) n WHERE f.email = 'retention-bench@school.example'""")) {
                rooms.setInt(1, classrooms);
                rooms.execute();
            }
            try (PreparedStatement students = owner.prepareStatement("""
                    INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at, last_seen_at,
                                                  ended_at)
                    SELECT c.id, sha256(convert_to(c.id::text || s, 'UTF8')), '{"age_range":"10-11","grade_level":5}', t, t + interval '8 hours',
                           t + interval '50 minutes', t + interval '8 hours'
                      FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM classrooms) c
                      CROSS JOIN generate_series(1, 30) s
                      CROSS JOIN LATERAL (SELECT now() - interval '30 months' - make_interval(hours => (c.n % 700)::int) AS t) at
                     WHERE (c.n - 1) * 30 + s <= ?""")) {
                students.setInt(1, sessions);
                students.execute();
            }
            try (PreparedStatement rows = owner.prepareStatement("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT s.id, s.classroom_id, l.id, lc.id, 'completed', s.created_at + make_interval(mins => k),
                           s.created_at + make_interval(mins => k + 10), 600, 'progress-' || k, s.created_at + make_interval(mins => k + 10)
                      FROM student_sessions s
                      JOIN lessons l ON l.lesson_number = 1
                      JOIN LATERAL (SELECT c.id FROM lesson_content c WHERE c.lesson_id = l.id ORDER BY c.order_index, c.id LIMIT 1) lc ON true
                      CROSS JOIN generate_series(1, ?) k""")) {
                rows.setInt(1, progress);
                rows.execute();
            }
            sql.execute("""
                    INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, answers, submitted_at, idempotency_key)
                    SELECT s.id, s.classroom_id, l.id, 4, 'happy', '{"liked":"yes"}', s.created_at + interval '45 minutes', 'feedback-1'
                      FROM student_sessions s JOIN lessons l ON l.lesson_number = 1""");
            sql.execute("ALTER TABLE student_sessions ENABLE TRIGGER student_sessions_audit");
            sql.execute("ALTER TABLE classrooms ENABLE TRIGGER classrooms_audit");
            owner.commit();
            owner.setAutoCommit(true);
            sql.execute("VACUUM (ANALYZE)");
        }
    }

    /**
     * {@code rows} audit rows in the month that began 26 months ago (UTC), in its own partition,
     * vacuumed until every page is all-visible, as a month that old is; returns the partition.
     */
    public static String auditMonth(DataSource ownerLogin, int rows) throws SQLException {
        try (Connection owner = ownerLogin.getConnection(); Statement sql = owner.createStatement()) {
            sql.execute("SELECT app.ensure_audit_partitions(0, now() - interval '26 months')");
            try (PreparedStatement insert = owner.prepareStatement("""
                    INSERT INTO audit_log (occurred_at, table_name, operation, row_key, changed_columns, new_values, actor_role,
                                           database_role, transaction_id, request_id)
                    SELECT (date_trunc('month', (now() - interval '26 months') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
                               + make_interval(secs => n * (2419200.0 / ?)),
                           'student_progress', 'INSERT', jsonb_build_object('id', gen_random_uuid()), '{id,status}',
                           '{"status":"completed"}', 'student', 'heroes_app', n, 'bench'
                      FROM generate_series(1, ?) n""")) {
                insert.setInt(1, rows);
                insert.setInt(2, rows);
                insert.execute();
            }
            String partition;
            try (var rs = sql.executeQuery("SELECT to_char(now() - interval '26 months', '\"audit_log_y\"YYYY\"m\"MM')")) {
                rs.next();
                partition = rs.getString(1);
            }
            // a month two years old has long been vacuumed: every page all-visible
            String notAllVisible = "SELECT relpages - relallvisible FROM pg_class WHERE relname = '" + partition + "'";
            for (int attempt = 1; attempt <= 5; attempt++) {
                sql.execute("VACUUM (ANALYZE) audit_log");
                if (count(ownerLogin, notAllVisible) == 0) {
                    return partition;
                }
                Thread.sleep(1000); // a transaction elsewhere still sees the rows as new
            }
            throw new IllegalStateException(partition + " still has pages not all-visible after VACUUM");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a SQL file with psql as the owner, in one transaction ({@code -1}), and returns how long
     * the process took in nanoseconds.
     */
    static long psql(TestDatabase database, String sql) throws Exception {
        Path file = Files.createTempFile("retention-baseline", ".sql");
        Files.writeString(file, sql, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(ExternalTools.system().postgres("psql").toString(), "-X", "-q", "-1",
                "-v", "ON_ERROR_STOP=1", "-h", database.host(), "-p", Integer.toString(database.port()), "-U", "heroes_owner",
                "-d", database.name(), "-f", file.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("PGPASSWORD", database.password(DatabaseLogin.OWNER)));
        long started = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        long took = System.nanoTime() - started;
        Files.deleteIfExists(file);
        if (exit != 0) {
            throw new IllegalStateException("psql failed:\n" + output);
        }
        return took;
    }

    public static long count(DataSource ownerLogin, String sql) throws SQLException {
        try (Connection owner = ownerLogin.getConnection(); Statement statement = owner.createStatement();
                var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
