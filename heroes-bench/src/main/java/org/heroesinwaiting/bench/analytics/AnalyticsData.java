package org.heroesinwaiting.bench.analytics;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Three years of the deployment guide's growth, dated in the past from the database's {@code now()}
 * (written as the owner, the tables' triggers off while they are written): 1,500 classrooms of
 * grades 4 to 6, each with a cohort of 30 students a school year (135,000 student sessions), each
 * student taking 6 lessons a week apart (2 content items each: 1,620,000 progress rows; one feedback
 * row each: 810,000), and a lesson taught per classroom each of those weeks (27,000). Rows are written
 * in the order the server would have stored them (by {@code recorded_at}, {@code received_at}).
 */
final class AnalyticsData {

    static final int CLASSROOMS = 1_500;
    static final int STUDENTS = 30;
    static final int YEARS = 3;
    static final int LESSONS_PER_YEAR = 6;
    /** Classrooms whose students take one more lesson on the bench's "today" (about a day of the guide's growth). */
    static final int TODAYS_CLASSROOMS = 25;

    private static final List<String> TABLES = List.of("classrooms", "classroom_sessions", "student_sessions", "student_progress",
            "student_feedback");

    private AnalyticsData() {
    }

    /** The curriculum (12 lessons of 2 items), the facilitators and classrooms, then three years of their students' work. */
    static void threeYears(DataSource ownerLogin) throws SQLException {
        try (Connection owner = ownerLogin.getConnection(); Statement sql = owner.createStatement()) {
            owner.setAutoCommit(false);
            triggers(sql, "DISABLE");
            sql.execute("INSERT INTO lessons (lesson_number, title) SELECT n, 'Lesson ' || n FROM generate_series(1, 12) n");
            sql.execute("""
                    INSERT INTO lesson_content (lesson_id, content_type, title, order_index, file_path)
                    SELECT l.id, 'handout', 'Item ' || i, i, 'lesson/item' || i || '.txt' FROM lessons l CROSS JOIN generate_series(1, 2) i""");
            sql.execute("""
                    INSERT INTO facilitators (email, password_hash, display_name)
                    SELECT 'teacher' || n || '@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'Teacher ' || n
                      FROM generate_series(1, %d) n""".formatted(CLASSROOMS / 3));
            sql.execute("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                    SELECT f.id, 'Room ' || n, translate(lpad(to_hex(n), 8, '0'), '0123456789abcdef', 'ABCDEFGHJKMNPQRS'), 4 + n %% 3
                      FROM generate_series(1, %d) n
                      JOIN facilitators f ON f.email = 'teacher' || (1 + (n - 1) / 3) || '@school.example'""".formatted(CLASSROOMS));
            // classroom n's cohort of school year y joins on day (n mod 330) of that year, 09:00 plus n mod 5 hours
            sql.execute("""
                    CREATE TEMPORARY TABLE cohorts ON COMMIT DROP AS
                    SELECT c.id AS classroom_id, c.grade_level, c.n, y,
                           date_trunc('day', now() - interval '%d months') + make_interval(days => 1 + y * 365 + c.n %% 330, hours => 9 + c.n %% 5)
                               AS joined
                      FROM (SELECT id, grade_level, ('x' || translate(classroom_code, 'ABCDEFGHJKMNPQRS', '0123456789abcdef'))::bit(32)::int AS n
                              FROM classrooms) c
                     CROSS JOIN generate_series(0, %d) y""".formatted(YEARS * 12, YEARS - 1));
            sessions(sql, "cohorts");
            lessons(sql, """
                    SELECT classroom_id, n, joined, k, joined + make_interval(days => 7 * k) AS at
                      FROM cohorts CROSS JOIN generate_series(0, %d) k""".formatted(LESSONS_PER_YEAR - 1));
            triggers(sql, "ENABLE");
            owner.commit();
            owner.setAutoCommit(true);
            sql.execute("VACUUM (ANALYZE)");
        }
    }

    /**
     * A day of new work on the bench's "today" (a few hours ago): the students of the {@link
     * #TODAYS_CLASSROOMS} classrooms that joined most recently take the next lesson of their
     * year, and three new cohorts join. About a day of the guide's growth: 750 lessons begun,
     * 1,500 progress rows, 750 feedback rows, 90 joins.
     */
    static void today(DataSource ownerLogin) throws SQLException {
        try (Connection owner = ownerLogin.getConnection(); Statement sql = owner.createStatement()) {
            owner.setAutoCommit(false);
            triggers(sql, "DISABLE");
            sql.execute("""
                    CREATE TEMPORARY TABLE todays ON COMMIT DROP AS
                    SELECT c.id AS classroom_id, c.grade_level,
                           ('x' || translate(c.classroom_code, 'ABCDEFGHJKMNPQRS', '0123456789abcdef'))::bit(32)::int AS n,
                           max(s.created_at) AS joined, row_number() OVER (ORDER BY max(s.created_at) DESC, c.id) AS rank
                      FROM classrooms c JOIN student_sessions s ON s.classroom_id = c.id
                     GROUP BY c.id""");
            // the next lesson (k = LESSONS_PER_YEAR) of their latest cohort's students, taught today
            lessons(sql, """
                    SELECT t.classroom_id, t.n, t.joined, %d AS k, date_trunc('hour', now() - interval '3 hours') AS at
                      FROM todays t WHERE t.rank <= %d""".formatted(LESSONS_PER_YEAR, TODAYS_CLASSROOMS));
            sql.execute("""
                    CREATE TEMPORARY TABLE new_cohorts ON COMMIT DROP AS
                    SELECT t.classroom_id, t.grade_level, t.n, 99 AS y, date_trunc('hour', now() - interval '2 hours') AS joined
                      FROM todays t WHERE t.rank > %d ORDER BY t.rank LIMIT 3""".formatted(TODAYS_CLASSROOMS));
            sessions(sql, "new_cohorts");
            triggers(sql, "ENABLE");
            owner.commit();
            owner.setAutoCommit(true);
            sql.execute("ANALYZE");
        }
    }

    private static void triggers(Statement sql, String how) throws SQLException {
        for (String table : TABLES) {
            sql.execute("ALTER TABLE " + table + " " + how + " TRIGGER USER");
        }
    }

    /** The cohorts' students: age ranges drawn by grade (grade 4: 8-9 or 10-11; 5: mostly 10-11; 6: 10-11 or 12-13). */
    private static void sessions(Statement sql, String cohorts) throws SQLException {
        sql.execute("""
                INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at, last_seen_at, ended_at)
                SELECT h.classroom_id, sha256(convert_to(h.classroom_id::text || h.y || '-' || s, 'UTF8')),
                       jsonb_build_object('grade_level', h.grade_level, 'age_range',
                           CASE h.grade_level
                               WHEN 4 THEN CASE WHEN (h.n + s) %% 5 < 3 THEN '8-9' ELSE '10-11' END
                               WHEN 5 THEN CASE (h.n + s) %% 10 WHEN 0 THEN '8-9' WHEN 1 THEN '12-13' ELSE '10-11' END
                               ELSE CASE WHEN (h.n + s) %% 5 < 2 THEN '10-11' ELSE '12-13' END END),
                       h.joined, h.joined + interval '8 hours', h.joined + interval '1 hour', h.joined + interval '8 hours'
                  FROM %s h CROSS JOIN generate_series(1, %d) s""".formatted(cohorts, STUDENTS));
    }

    /**
     * For each (classroom n, the cohort that joined then, k, at) of {@code taught}: the lesson ((n
     * + k) mod 12) + 1 taught at that time, 35 to 64 minutes long; each of the cohort's students
     * begins both its items (the second completed by 17 in 20), and gives feedback.
     */
    private static void lessons(Statement sql, String taught) throws SQLException {
        sql.execute("""
                CREATE TEMPORARY TABLE taught ON COMMIT DROP AS
                SELECT t.classroom_id, t.joined, t.k, l.id AS lesson_id, t.at, 35 + t.n %% 30 AS minutes
                  FROM (%s) t JOIN lessons l ON l.lesson_number = (t.n + t.k) %% 12 + 1""".formatted(taught));
        sql.execute("""
                INSERT INTO classroom_sessions (classroom_id, lesson_id, started_at, ended_at)
                SELECT t.classroom_id, t.lesson_id, t.at, t.at + make_interval(mins => t.minutes) FROM taught t""");
        sql.execute("""
                CREATE TEMPORARY TABLE pairs ON COMMIT DROP AS
                SELECT s.id AS session_id, s.classroom_id, t.lesson_id, t.at, t.k,
                       abs(hashtext(s.id::text || t.lesson_id::text)) AS h
                  FROM taught t JOIN student_sessions s ON s.classroom_id = t.classroom_id AND s.created_at = t.joined""");
        sql.execute("""
                INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                              completed_at, time_spent_seconds, idempotency_key, recorded_at)
                SELECT p.session_id, p.classroom_id, p.lesson_id, c.id,
                       CASE WHEN c.order_index = 1 OR p.h % 20 < 17 THEN 'completed' ELSE 'started' END,
                       p.at + make_interval(mins => 5 + 15 * (c.order_index - 1)),
                       CASE WHEN c.order_index = 1 OR p.h % 20 < 17 THEN p.at + make_interval(mins => 15 + 15 * (c.order_index - 1)) END,
                       600, 'lesson-' || p.k || '-item-' || c.order_index, p.at + make_interval(mins => 16 + 15 * (c.order_index - 1))
                  FROM pairs p JOIN lesson_content c ON c.lesson_id = p.lesson_id
                 ORDER BY 10""");
        sql.execute("""
                INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, answers, submitted_at, idempotency_key,
                                              received_at)
                SELECT p.session_id, p.classroom_id, p.lesson_id, 1 + p.h % 5, (ARRAY['happy', 'calm', 'unsure', 'sad', 'upset'])[1 + p.h / 5 % 5],
                       jsonb_build_object('felt_safe', (ARRAY['yes', 'no', 'unsure'])[1 + p.h / 25 % 3],
                                          'will_help', (ARRAY['yes', 'no'])[1 + p.h / 75 % 2]),
                       p.at + interval '40 minutes', 'feedback-' || p.k, p.at + interval '41 minutes'
                  FROM pairs p
                 ORDER BY 9""");
        sql.execute("DROP TABLE pairs");
        sql.execute("DROP TABLE taught");
    }
}
