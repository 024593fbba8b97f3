package org.heroesinwaiting.persistence.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.assertj.core.api.Assertions.tuple;

import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The analytics rollups and views (V025) against a real PostgreSQL: the application's refresh,
 * the views read as {@code heroes_analytics}. Every time is a day of the month three months before
 * the database's {@code now()}, read in UTC as the rollups read it, so the test passes on every date.
 */
class AnalyticsSqlTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    /** The fixture's day: the 11th of the month three months back, 10:00 UTC. */
    private static final String DAY = day(3);
    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
    private static final String MONTH = "(date_trunc('month', now() AT TIME ZONE 'UTC') - interval '3 months')::date";
    /**
     * "Today" for rows of the day a nightly refresh reads: two hours back, or midnight UTC when
     * that is later, so that a day's rows (an hour of them) share a day, a week and a month on every date.
     */
    private static final String TODAY = "greatest(date_trunc('day', now(), 'UTC'), now() - interval '2 hours')";

    /** @return the 11th of the month {@code monthsBack} months back, 10:00 UTC, as SQL */
    private static String day(int monthsBack) {
        return "((date_trunc('month', now() AT TIME ZONE 'UTC') - interval '" + monthsBack + " months' + interval '10 days 10 hours')"
                + " AT TIME ZONE 'UTC')";
    }

    /**
     * Three classrooms taught lesson 1 (two content items) that day: A and B (grade 5) and C
     * (grade 4). Grade 5 aged 10-11: 6 sessions in A and 4 in B, 5 of them completing both items;
     * grade 5 aged 8-9: 1 in A and 3 in B (4 in all); grade 4 aged 12-13: 6 in C alone. Feedback
     * from the ten of grade 5 aged 10-11: rating 5 from 6 (4 in A, 2 in B), rating 4 from 4, every
     * one "happy". Lessons lasted 40 (A), 50 (B) and 60 (C) minutes.
     */
    static void school(Jdbi owner) {
        school(owner, DAY);
    }

    private static void school(Jdbi owner, String day) {
        owner.useTransaction(handle -> {
            handle.execute("INSERT INTO lessons (lesson_number, title) VALUES (1, 'Lesson one'), (2, 'Lesson two')");
            handle.execute("""
                    INSERT INTO lesson_content (lesson_id, content_type, title, order_index, file_path)
                    SELECT l.id, 'handout', 'Item ' || i, i, 'lesson/item' || i || '.txt' FROM lessons l CROSS JOIN generate_series(1, 2) i""");
            handle.execute("""
                    INSERT INTO facilitators (email, password_hash, display_name)
                    VALUES ('a@school.example', ?, 'A'), ('b@school.example', ?, 'B'), ('c@school.example', ?, 'C')""", HASH, HASH, HASH);
            handle.execute("""
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                    SELECT f.id, 'Room ' || f.display_name, f.display_name || 'AAABBBB', CASE f.display_name WHEN 'C' THEN 4 ELSE 5 END
                      FROM facilitators f""");
            handle.execute("""
                    INSERT INTO classroom_sessions (classroom_id, lesson_id, started_at, ended_at)
                    SELECT c.id, l.id, %1$s, %1$s + make_interval(mins => CASE c.name WHEN 'Room A' THEN 40 WHEN 'Room B' THEN 50 ELSE 60 END)
                      FROM classrooms c, lessons l WHERE l.lesson_number = 1""".formatted(day));
            sessions(handle, day, "Room A", "10-11", 5, 6);
            sessions(handle, day, "Room B", "10-11", 5, 4);
            sessions(handle, day, "Room A", "8-9", 5, 1);
            sessions(handle, day, "Room B", "8-9", 5, 3);
            sessions(handle, day, "Room C", "12-13", 4, 6);
            // every session begins lesson 1's first item; the first 3 of A's and 2 of B's ten complete both
            handle.execute("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT s.id, s.classroom_id, c.lesson_id, c.id, 'completed', s.created_at + interval '1 minute',
                           s.created_at + interval '5 minutes', 240, 'item-' || c.order_index, s.created_at + interval '5 minutes'
                      FROM student_sessions s JOIN lesson_content c ON c.order_index = 1
                      JOIN lessons l ON l.id = c.lesson_id AND l.lesson_number = 1""");
            handle.execute("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT s.id, s.classroom_id, c.lesson_id, c.id, 'completed', s.created_at + interval '6 minutes',
                           s.created_at + interval '9 minutes', 180, 'item-' || c.order_index, s.created_at + interval '9 minutes'
                      FROM (SELECT s.*, row_number() OVER (PARTITION BY s.classroom_id ORDER BY s.id) AS n FROM student_sessions s
                             WHERE s.demographic_data ->> 'age_range' = '10-11') s
                      JOIN classrooms r ON r.id = s.classroom_id
                      JOIN lesson_content c ON c.order_index = 2
                      JOIN lessons l ON l.id = c.lesson_id AND l.lesson_number = 1
                     WHERE s.n <= CASE r.name WHEN 'Room A' THEN 3 ELSE 2 END""");
            handle.execute("""
                    INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, answers, submitted_at, idempotency_key)
                    SELECT s.id, s.classroom_id, l.id, CASE WHEN s.n <= CASE r.name WHEN 'Room A' THEN 4 ELSE 2 END THEN 5 ELSE 4 END,
                           'happy', '{}', s.created_at + interval '30 minutes', 'feedback'
                      FROM (SELECT s.*, row_number() OVER (PARTITION BY s.classroom_id ORDER BY s.id) AS n FROM student_sessions s
                             WHERE s.demographic_data ->> 'age_range' = '10-11') s
                      JOIN classrooms r ON r.id = s.classroom_id
                      JOIN lessons l ON l.lesson_number = 1""");
        });
    }

    /** Lesson 1's second item, completed on the fixture's day by the sessions of these age ranges (SQL), synced today. */
    private static void lateSecondItems(Handle handle, String ageRanges) {
        handle.execute("""
                INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                              completed_at, time_spent_seconds, idempotency_key, recorded_at)
                SELECT s.id, s.classroom_id, c.lesson_id, c.id, 'completed', s.created_at + interval '6 minutes',
                       s.created_at + interval '9 minutes', 180, 'synced-late', now()
                  FROM student_sessions s JOIN lesson_content c ON c.order_index = 2
                  JOIN lessons l ON l.id = c.lesson_id AND l.lesson_number = 1
                 WHERE s.demographic_data ->> 'age_range' IN (%s)""".formatted(ageRanges));
    }

    private static void sessions(Handle handle, String day, String room, String ages, int grade, int count) {
        handle.execute("""
                INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at, last_seen_at)
                SELECT c.id, sha256(convert_to(gen_random_uuid()::text, 'UTF8')), jsonb_build_object('age_range', ?, 'grade_level', ?),
                       %1$s, %1$s + interval '8 hours', %1$s + interval '1 hour'
                  FROM classrooms c CROSS JOIN generate_series(1, ?) WHERE c.name = ?""".formatted(day), ages, grade, count, room);
    }

    @Test
    void theViewsPublishWhatAHandCountSaysAndSuppressSmallGroupsSingleClassroomsAndWhatSubtractionWouldReveal(@Owner Jdbi owner, Jdbi app,
            TestDatabase database) {
        school(owner);

        List<String> refreshed = app.withHandle(handle -> handle.createQuery(
                "SELECT rollup || ' ' || cells FROM refresh_analytics() ORDER BY rollup").mapTo(String.class).list());

        assertThat(refreshed).containsExactly("analytics_engagement_rollup 1", "analytics_feedback_rollup 3", "analytics_join_rollup 3",
                "analytics_lesson_rollup 3", "analytics_lesson_term_rollup 3");
        Jdbi analytics = database.jdbi(DatabaseLogin.ANALYTICS);
        // joins: a group of 10 from two classrooms is published; 4 is too few; 6 from one classroom is one teacher's class
        assertThat(rows(analytics, """
                SELECT grade_level || ' ' || age_range || ' ' || coalesce(student_sessions::text, '-') || ' ' || suppressed
                  FROM analytics_join_demographics WHERE month = %s ORDER BY 1""".formatted(MONTH)))
                .containsExactly("4 12-13 - true", "5 10-11 10 false", "5 8-9 - true");
        // lessons: 10 began, 5 completed, 5 did not: both sides at least k, so the rate is published
        assertThat(rows(analytics, """
                SELECT grade_level || ' ' || age_range || ' ' || coalesce(sessions_started::text, '-') || ' '
                       || coalesce(sessions_completed::text, '-') || ' ' || coalesce(completion_rate::text, '-') || ' ' || suppressed
                  FROM analytics_lesson_completion WHERE month = %s AND lesson_number = 1 ORDER BY 1""".formatted(MONTH)))
                .containsExactly("4 12-13 - - - true", "5 10-11 10 5 0.500 false", "5 8-9 - - - true");
        // feedback: rating 4 (4 sessions) is too few; alone, it would be the mood's 10 minus rating 5's 6, so rating 5 goes too
        assertThat(rows(analytics, """
                SELECT measure || ' ' || option || ' ' || coalesce(student_sessions::text, '-') || ' ' || suppressed
                  FROM analytics_lesson_feedback WHERE month = %s AND lesson_number = 1 ORDER BY 1""".formatted(MONTH)))
                .containsExactly("mood happy 10 false", "rating 4 - true", "rating 5 - true");
        // engagement: three lessons taught in three classrooms, 20 active sessions, a median of 50 minutes
        assertThat(rows(analytics, """
                SELECT lessons_taught || ' ' || active_classrooms || ' ' || student_sessions || ' ' || median_lesson_minutes || ' ' || suppressed
                  FROM analytics_engagement WHERE week = date_trunc('week', %s AT TIME ZONE 'UTC')::date""".formatted(DAY)))
                .containsExactly("3 3 20 50 false");

        // the same numbers, straight from the raw rows by hand, and a rerun changes nothing
        assertThat(rows(owner, """
                SELECT count(*) || ' ' || count(DISTINCT classroom_id) FROM student_sessions
                 WHERE demographic_data = '{"age_range":"10-11","grade_level":5}'""")).containsExactly("10 2");
        String before = rows(owner, "SELECT string_agg(r::text, ';' ORDER BY r::text) FROM analytics_lesson_rollup r").get(0);
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()").mapTo(Long.class).one());
        assertThat(rows(owner, "SELECT string_agg(r::text, ';' ORDER BY r::text) FROM analytics_lesson_rollup r")).containsExactly(before);
    }

    /**
     * Lesson 2 begun in January and February of last year (one spring term) by grade 5 aged 10-11:
     * 3 sessions in January (2 in A, 1 in B), 10 in February (5 in each).
     */
    private static void spring(Jdbi owner) {
        owner.useTransaction(handle -> {
            for (String[] month : new String[][] {{"1", "Room A", "2"}, {"1", "Room B", "1"}, {"2", "Room A", "5"}, {"2", "Room B", "5"}}) {
                handle.execute("""
                        INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at, last_seen_at)
                        SELECT c.id, sha256(convert_to(gen_random_uuid()::text, 'UTF8')), '{"age_range":"10-11","grade_level":5}', d.at,
                               d.at + interval '8 hours', d.at + interval '1 hour'
                          FROM classrooms c
                          CROSS JOIN (SELECT make_timestamptz(extract(year FROM now() AT TIME ZONE 'UTC')::integer - 1, ?, 11, 10, 0, 0, 'UTC')
                                             AS at) d
                          CROSS JOIN generate_series(1, ?) WHERE c.name = ?""", Integer.parseInt(month[0]), Integer.parseInt(month[2]),
                        month[1]);
            }
            handle.execute("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT s.id, s.classroom_id, c.lesson_id, c.id, 'started', s.created_at + interval '1 minute', NULL, 60, 'spring',
                           s.created_at + interval '1 minute'
                      FROM student_sessions s JOIN lesson_content c ON c.order_index = 1
                      JOIN lessons l ON l.id = c.lesson_id AND l.lesson_number = 2
                     WHERE s.created_at < now() - interval '10 months'""");
        });
    }

    @Test
    void aDifferencingAttackerRebuildsNoSuppressedCellFromTheOtherPublishedNumbers(@Owner Jdbi owner, Jdbi app, TestDatabase database) {
        school(owner);
        spring(owner);
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()").mapTo(Long.class).one());
        Jdbi analytics = database.jdbi(DatabaseLogin.ANALYTICS);

        // what the analytics login sees of lesson 2 in spring: the term's 13 are published, so January's 3 must not be the
        // term minus February's 10, and February goes too
        assertThat(rows(analytics, """
                SELECT term || ' ' || coalesce(sessions_started::text, '-') FROM analytics_lesson_completion_by_term
                 WHERE lesson_number = 2""")).containsExactly("spring " + (year(owner) - 1) + " 13");

        // the attacker: every relation that holds between published numbers, tried on every suppressed cell
        List<String> rebuilt = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        // a term is the sum of its months (the started and the completed counts alike)
        for (String measure : List.of("sessions_started", "sessions_completed")) {
            rebuilt.addAll(rows(analytics, """
                    SELECT m.month || ' lesson ' || m.lesson_number || ' ' || m.grade_level || ' ' || m.age_range || ' %1$s'
                      FROM analytics_lesson_completion m
                      JOIN analytics_lesson_completion_by_term t
                        ON t.term_start = CASE WHEN extract(month FROM m.month) >= 8 THEN make_date(extract(year FROM m.month)::integer, 8, 1)
                                               WHEN extract(month FROM m.month) >= 6 THEN make_date(extract(year FROM m.month)::integer, 6, 1)
                                               ELSE make_date(extract(year FROM m.month)::integer, 1, 1) END
                       AND t.lesson_number = m.lesson_number AND t.grade_level = m.grade_level AND t.age_range = m.age_range
                     WHERE m.%1$s IS NULL AND t.%1$s IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM analytics_lesson_completion o
                                        WHERE o.lesson_number = m.lesson_number AND o.grade_level = m.grade_level
                                          AND o.age_range = m.age_range AND o.month <> m.month
                                          AND date_trunc('year', o.month) = date_trunc('year', m.month)
                                          AND (extract(month FROM o.month) >= 8) = (extract(month FROM m.month) >= 8)
                                          AND (extract(month FROM o.month) BETWEEN 6 AND 7) = (extract(month FROM m.month) BETWEEN 6 AND 7)
                                          AND o.%1$s IS NULL)""".formatted(measure)));
            tried.addAll(rows(analytics, "SELECT month::text FROM analytics_lesson_completion WHERE " + measure + " IS NULL"));
        }
        // the rating and the mood describe the same children: a fully published one gives the total of the other
        rebuilt.addAll(rows(analytics, """
                SELECT f.month || ' lesson ' || f.lesson_number || ' ' || f.measure || ' ' || f.option
                  FROM analytics_lesson_feedback f
                 WHERE f.suppressed AND f.measure IN ('rating', 'mood')
                   AND NOT EXISTS (SELECT 1 FROM analytics_lesson_feedback o
                                    WHERE o.month = f.month AND o.lesson_number = f.lesson_number AND o.measure = f.measure
                                      AND o.option <> f.option AND o.suppressed)
                   AND EXISTS (SELECT 1 FROM analytics_lesson_feedback q
                                WHERE q.month = f.month AND q.lesson_number = f.lesson_number AND q.measure IN ('rating', 'mood')
                                  AND q.measure <> f.measure
                               HAVING bool_and(NOT q.suppressed))"""));
        tried.addAll(rows(analytics, "SELECT option FROM analytics_lesson_feedback WHERE suppressed"));

        assertThat(tried).as("suppressed cells the attacker went after").hasSizeGreaterThanOrEqualTo(4);
        assertThat(rebuilt).as("suppressed cells rebuilt from published numbers").isEmpty();
        assertThat(rows(analytics, """
                SELECT extract(month FROM month) || ' ' || coalesce(sessions_started::text, '-') || ' ' || suppressed
                  FROM analytics_lesson_completion WHERE lesson_number = 2 ORDER BY month""")).containsExactly("1 - true", "2 - true");
    }

    private static int year(Jdbi owner) {
        return owner.withHandle(handle -> handle.createQuery("SELECT extract(year FROM now() AT TIME ZONE 'UTC')::integer").mapTo(Integer.class)
                .one());
    }

    @Test
    void theViewsAnswerTheSameAfterRetentionArchivedAndDeletedTheRawRowsUnderThem(@Owner Jdbi owner, Jdbi app, TestDatabase database) {
        // a school 40 months back, its rollups made while its rows were still kept (a longer total period, then the guide's)
        owner.useHandle(handle -> handle.execute("""
                UPDATE data_retention_policies SET total_period = interval 'P6Y'
                 WHERE table_name IN ('student_sessions', 'classroom_sessions')"""));
        school(owner, day(40));
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()").mapTo(Long.class).one());
        Jdbi analytics = database.jdbi(DatabaseLogin.ANALYTICS);
        String views = everyRow("analytics_lesson_completion", "analytics_lesson_completion_by_term", "analytics_lesson_feedback",
                "analytics_join_demographics", "analytics_engagement");
        List<String> before = rows(analytics, views);
        assertThat(before.get(0)).as("every view has rows").contains("Lesson one", "happy", "10-11");

        owner.useHandle(handle -> handle.execute("""
                UPDATE data_retention_policies SET total_period = interval 'P3Y'
                 WHERE table_name IN ('student_sessions', 'classroom_sessions')"""));
        for (int run = 0; run < 2; run++) {
            app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM execute_data_retention_policy(max_rows => 100000)")
                    .mapTo(Long.class).one());
        }
        assertThat(rows(owner, """
                SELECT (SELECT count(*) FROM student_sessions) + (SELECT count(*) FROM student_sessions_archive)
                       + (SELECT count(*) FROM student_progress) + (SELECT count(*) FROM student_progress_archive)
                       + (SELECT count(*) FROM student_feedback) + (SELECT count(*) FROM student_feedback_archive)
                       + (SELECT count(*) FROM classroom_sessions) + (SELECT count(*) FROM classroom_sessions_archive)"""))
                .as("retention deleted every raw row").containsExactly("0");
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()").mapTo(Long.class).one());
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics(CURRENT_DATE - 5000, CURRENT_DATE)")
                .mapTo(Long.class).one());

        assertThat(rows(analytics, views)).as("the lesson statistics outlive the raw rows").isEqualTo(before);
    }

    @Test
    void aLateOfflineBatchCorrectsItsMonthOnTheNextRefresh(@Owner Jdbi owner, Jdbi app, TestDatabase database) {
        school(owner);
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()").mapTo(Long.class).one());

        // the 4 of grade 5 aged 8-9 had their second item on a tablet that synced today, dated that day
        owner.useHandle(handle -> lateSecondItems(handle, "'8-9'"));
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()").mapTo(Long.class).one());

        assertThat(rows(owner, """
                SELECT sessions_started || ' ' || sessions_completed FROM analytics_lesson_rollup
                 WHERE month = %s AND lesson_number = 1 AND age_range = '8-9'""".formatted(MONTH))).containsExactly("4 4");
    }

    @Test
    void theAnalyticsLoginReadsTheViewsAndTheCurriculumAndIsRefusedEveryOtherRelation(@Owner Jdbi owner, TestDatabase database) {
        List<String> relations = rows(owner, """
                SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname IN ('public', 'app') AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
                 ORDER BY 1""");
        List<String> allowed = List.of("public.analytics_engagement", "public.analytics_join_demographics", "public.analytics_lesson_completion",
                "public.analytics_lesson_completion_by_term",
                "public.analytics_lesson_feedback", "public.analytics_suppression", "public.lessons", "public.lesson_content", "public.lesson_questions");
        Jdbi analytics = database.jdbi(DatabaseLogin.ANALYTICS);
        List<String> readable = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (String relation : relations) {
            try {
                analytics.useHandle(handle -> handle.createQuery("SELECT 1 FROM " + relation + " LIMIT 1").mapTo(Integer.class).findOne());
                readable.add(relation);
            } catch (RuntimeException e) {
                assertThat(sqlState(e)).as(relation).isEqualTo("42501");
                refused.add(relation);
            }
        }

        assertThat(readable).containsExactlyInAnyOrderElementsOf(allowed);
        assertThat(refused).as("the archives, the rollups, the audit months, every other table").contains("public.student_sessions",
                "public.student_feedback_archive", "public.analytics_lesson_rollup", "public.analytics_settings", "public.audit_log",
                "public.retention_policy_status").hasSize(relations.size() - allowed.size());
    }

    @Test
    void theServiceAndTheNightlyJobRefreshAndARangeUpsideDownIsAClearError(@Owner Jdbi owner, Jdbi app) {
        school(owner);
        TransactionRunner transactions = new TransactionRunner(app);
        LocalDate today = owner.withHandle(handle -> handle.createQuery("SELECT (now() AT TIME ZONE 'UTC')::date").mapTo(LocalDate.class).one());

        // docs/library.md's example
        AnalyticsService analytics = new AnalyticsService(transactions);
        List<RollupRefresh> refreshed = analytics.refresh();
        List<RollupRefresh> sixMonths = analytics.refresh(today.minusMonths(6), today);
        JobOutcome nightly = new AnalyticsRefreshJob(analytics).run();

        assertThat(refreshed).extracting(RollupRefresh::rollup, RollupRefresh::cells).contains(tuple("analytics_lesson_rollup", 3),
                tuple("analytics_engagement_rollup", 1));
        assertThat(sixMonths).extracting(RollupRefresh::rollup, RollupRefresh::periods, RollupRefresh::cells).contains(
                tuple("analytics_lesson_rollup", 7, 3), tuple("analytics_join_rollup", 7, 3), tuple("analytics_feedback_rollup", 7, 3));
        assertThat(sixMonths).extracting(RollupRefresh::rollup).contains("analytics_lesson_term_rollup");
        assertThat(nightly.detail()).contains("lesson ", "engagement ");
        assertThat(rows(owner, "SELECT count(*) FROM analytics_lesson_rollup")).containsExactly("3");
        assertThatThrownBy(() -> analytics.refresh(LocalDate.of(2026, 1, 2), LocalDate.of(2026, 1, 1)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("from must be on or before to");
    }

    @Test
    void theNightlyRefreshByClassroomGivesWhatARebuildFromScratchGives(@Owner Jdbi owner, Jdbi app) {
        school(owner);
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()").mapTo(Long.class).one());
        // a day: a late batch of the month's second items, six new students of Room C and four of Room A who take lesson 2
        // with feedback, and Room C's lesson of today, which ended
        owner.useTransaction(handle -> {
            lateSecondItems(handle, "'8-9', '12-13'");
            sessions(handle, TODAY, "Room C", "12-13", 4, 6);
            sessions(handle, TODAY, "Room A", "12-13", 4, 4);
            handle.execute("""
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT s.id, s.classroom_id, c.lesson_id, c.id, 'completed', %1$s + interval '10 minutes', %1$s + interval '20 minutes',
                           600, 'today-' || c.order_index, now()
                      FROM student_sessions s JOIN lesson_content c ON true JOIN lessons l ON l.id = c.lesson_id AND l.lesson_number = 2
                     WHERE s.created_at > now() - interval '1 day'""".formatted(TODAY));
            handle.execute("""
                    INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, answers, submitted_at, idempotency_key)
                    SELECT s.id, s.classroom_id, l.id, 3, 'calm', '{"felt_safe":"yes"}', %s + interval '30 minutes', 'today'
                      FROM student_sessions s JOIN lessons l ON l.lesson_number = 2
                     WHERE s.created_at > now() - interval '1 day'""".formatted(TODAY));
            handle.execute("""
                    INSERT INTO classroom_sessions (classroom_id, lesson_id, started_at, ended_at)
                    SELECT c.id, l.id, %1$s + interval '5 minutes', %1$s + interval '50 minutes'
                      FROM classrooms c, lessons l WHERE c.name = 'Room C' AND l.lesson_number = 2""".formatted(TODAY));
        });
        String rollups = everyRow("analytics_join_rollup", "analytics_lesson_rollup", "analytics_lesson_term_rollup",
                "analytics_feedback_rollup", "analytics_engagement_rollup");
        List<String> before = rows(owner, rollups);

        List<String> nightly = app.withHandle(handle -> handle.createQuery(
                "SELECT rollup || ' ' || periods || ' ' || cells FROM refresh_analytics() ORDER BY rollup").mapTo(String.class).list());
        List<String> byClassroom = rows(owner, rollups);
        owner.useHandle(handle -> handle.execute("""
                TRUNCATE analytics_join_rollup, analytics_lesson_rollup, analytics_lesson_term_rollup, analytics_feedback_rollup,
                         analytics_engagement_rollup, app.analytics_join_part, app.analytics_lesson_part, app.analytics_feedback_part,
                         app.analytics_active_part;
                UPDATE analytics_settings SET refreshed_at = NULL"""));
        app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()").mapTo(Long.class).one());

        assertThat(byClassroom).as("the day changed the rollups").isNotEqualTo(before);
        // the cells of the touched classrooms only: joins of A and C in both months (A: 10-11 and 8-9 of grade 5, C: 12-13 of
        // grade 4, and today's grade 4 aged 12-13); lesson 1 three months back for A, B and C (three cells) and lesson 2 today
        // (one); feedback of lesson 1 (the fixture's rows were received within the day of overlap: rating 5, 4, happy) and of
        // lesson 2 (rating 3, calm, felt_safe yes); engagement: the fixture's week and this one
        assertThat(nightly).as("the nightly recomputed the cells of the day's classrooms only").contains(
                "analytics_join_rollup 2 4", "analytics_lesson_rollup 2 4", "analytics_feedback_rollup 2 6", "analytics_engagement_rollup 2 2");
        assertThat(rows(owner, rollups)).as("a rebuild from the raw rows gives the same numbers").isEqualTo(byClassroom);
    }

    @Test
    void theServiceRebuildsBeyondTheLoginsStatementTimeout(@Owner Jdbi owner, TestDatabase database) throws Exception {
        school(owner);
        PGSimpleDataSource hurried = new PGSimpleDataSource();
        hurried.setURL(database.jdbcUrl());
        hurried.setUser(DatabaseLogin.APP.roleName());
        hurried.setPassword(database.password(DatabaseLogin.APP));
        hurried.setOptions("-c statement_timeout=100"); // milliseconds: the application login's 30 s, against years of rows
        Jdbi app = Jdbi.create(hurried).installPlugins();
        // a refresh that lasts: another holds the refresh's lock, so each call below waits for it
        try (Handle holder = owner.open()) {
            holder.createQuery("SELECT pg_advisory_lock(hashtext('heroes.analytics refresh'))").mapTo(String.class).one();

            assertThatThrownBy(() -> app.useHandle(handle -> handle.createQuery("SELECT count(*) FROM refresh_analytics()")
                    .mapTo(Long.class).one()))
                    .satisfies(e -> assertThat(sqlState(e)).as("the plain call is cancelled").isEqualTo("57014"));
            CompletableFuture<List<RollupRefresh>> rebuilt = CompletableFuture.supplyAsync(
                    () -> new AnalyticsService(new TransactionRunner(app)).refresh());
            awaitWaiterOnTheRefreshLock(owner);
            Thread.sleep(300); // three times the login's timeout, waited
            holder.createQuery("SELECT pg_advisory_unlock(hashtext('heroes.analytics refresh'))").mapTo(Boolean.class).one();

            assertThat(rebuilt.get(1, TimeUnit.MINUTES)).extracting(RollupRefresh::rollup, RollupRefresh::cells)
                    .contains(tuple("analytics_lesson_rollup", 3));
        }
    }

    /** Polls (bounded) until a session waits for the refresh's advisory lock. */
    private static void awaitWaiterOnTheRefreshLock(Jdbi owner) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (owner.withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").mapTo(Long.class).one()) == 0) {
            assertThat(System.nanoTime()).as("a refresh waiting for the lock").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aRefreshOfDaysUpsideDownIsRefused(Jdbi app) {
        assertThatThrownBy(() -> app.useHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM refresh_analytics(CURRENT_DATE, CURRENT_DATE - 1)").mapTo(Long.class).one()))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("22023"))
                .hasMessageContaining("from must be on or before to");
    }

    /** @return a query of one text: every row of the relations, in a stable order */
    private static String everyRow(String... relations) {
        return "SELECT " + Arrays.stream(relations)
                .map(relation -> "(SELECT string_agg(r::text, ';' ORDER BY r::text) FROM " + relation + " r)")
                .collect(Collectors.joining(" || "));
    }

    private static List<String> rows(Jdbi jdbi, String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    private static String sqlState(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return sql.getSQLState();
            }
        }
        return "none";
    }
}
