package org.heroesinwaiting.bench.analytics;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.TestDatabase;
import org.heroesinwaiting.testkit.TestDatabases;
import org.heroesinwaiting.testkit.TestkitSettings;

/**
 * The analytics of issue 18 on three years of the deployment guide's growth ({@link AnalyticsData}:
 * 135,000 student sessions, 1,620,000 progress and 810,000 feedback rows):
 * <ol>
 *   <li>each view, read whole from the rollups as {@code heroes_analytics}, against the same
 *       aggregate computed from the raw tables by hand-written SQL (as the owner: the counts, the
 *       distinct classrooms, and the k-anonymity rule per cell, without the complementary
 *       suppression), each side read whole over JDBC on a connection opened before (a view's time
 *       is the median of {@value #VIEW_READS} reads, a few milliseconds each); goal: at least 50x faster;</li>
 *   <li>the nightly refresh ({@code SELECT * FROM refresh_analytics()}, as the application's job
 *       runs it) after a day of new data, against one plain {@code INSERT ... SELECT} of that
 *       day's lesson counts per lesson, grade and age range (distinct sessions begun and
 *       completed, distinct classrooms) into a table of its own; goal: at least 0.8x.</li>
 * </ol>
 * Each timed run starts after a {@code CHECKPOINT}, the order of the two sides alternating between
 * rounds; prints every round and the medians. With {@code nightly}, the second part alone.
 *
 * <pre>
 * java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.analytics.AnalyticsBench [rounds] [nightly]
 * </pre>
 */
public final class AnalyticsBench {

    private static final String CELL = "count(*) >= 5 AND count(DISTINCT %s) >= 2";
    /** Reads of a view per round, of which the median is its time. */
    private static final int VIEW_READS = 11;

    /** View, then the hand-written aggregate of the raw tables it answers from its rollups. */
    private static final Map<String, String> RAW = new LinkedHashMap<>();

    static {
        RAW.put("analytics_join_demographics", """
                SELECT date_trunc('month', s.created_at AT TIME ZONE 'UTC')::date AS month, (s.demographic_data ->> 'grade_level')::int AS grade_level,
                       s.demographic_data ->> 'age_range' AS age_range,
                       CASE WHEN %1$s THEN count(*) END AS student_sessions, NOT (%1$s) AS suppressed
                  FROM student_sessions s GROUP BY 1, 2, 3""".formatted(CELL.formatted("s.classroom_id")));
        String pairs = """
                WITH pairs AS (
                    SELECT p.student_session_id, p.classroom_id, p.lesson_id, min(p.started_at) AS began,
                           count(DISTINCT p.lesson_content_id) FILTER (WHERE p.status = 'completed') AS done
                      FROM student_progress p GROUP BY 1, 2, 3
                ), items AS (
                    SELECT c.lesson_id, count(*) AS n FROM lesson_content c GROUP BY 1
                ), cells AS (
                    SELECT %s AS period, l.lesson_number, l.title, (s.demographic_data ->> 'grade_level')::int AS grade_level,
                           s.demographic_data ->> 'age_range' AS age_range, count(*) AS started,
                           count(*) FILTER (WHERE pr.done >= i.n) AS completed, count(DISTINCT pr.classroom_id) AS classrooms
                      FROM pairs pr JOIN student_sessions s ON s.id = pr.student_session_id
                      JOIN lessons l ON l.id = pr.lesson_id JOIN items i ON i.lesson_id = pr.lesson_id
                     GROUP BY 1, 2, 3, 4, 5
                )
                SELECT c.period, c.lesson_number, c.title, c.grade_level, c.age_range,
                       CASE WHEN c.started >= 5 AND c.classrooms >= 2 THEN c.started END AS sessions_started,
                       CASE WHEN c.started >= 5 AND c.classrooms >= 2 AND c.completed >= 5 AND c.started - c.completed >= 5
                            THEN c.completed END AS sessions_completed,
                       CASE WHEN c.started >= 5 AND c.classrooms >= 2 AND c.completed >= 5 AND c.started - c.completed >= 5
                            THEN round(c.completed::numeric / c.started, 3) END AS completion_rate,
                       NOT (c.started >= 5 AND c.classrooms >= 2) AS suppressed
                  FROM cells c""";
        RAW.put("analytics_lesson_completion", pairs.formatted("date_trunc('month', pr.began AT TIME ZONE 'UTC')::date"));
        RAW.put("analytics_lesson_completion_by_term", pairs.formatted("app.school_term((pr.began AT TIME ZONE 'UTC')::date)"));
        RAW.put("analytics_lesson_feedback", """
                SELECT date_trunc('month', f.submitted_at AT TIME ZONE 'UTC')::date AS month, l.lesson_number, l.title, o.measure,
                       o.question_key, o.option,
                       CASE WHEN count(DISTINCT f.student_session_id) >= 5 AND count(DISTINCT f.classroom_id) >= 2
                            THEN count(DISTINCT f.student_session_id) END AS student_sessions,
                       NOT (count(DISTINCT f.student_session_id) >= 5 AND count(DISTINCT f.classroom_id) >= 2) AS suppressed
                  FROM student_feedback f JOIN lessons l ON l.id = f.lesson_id
                 CROSS JOIN LATERAL (SELECT 'rating', '', f.rating::text
                                     UNION ALL SELECT 'mood', '', f.mood
                                     UNION ALL SELECT 'answer', a.key, a.value FROM jsonb_each_text(f.answers) a) o (measure, question_key, option)
                 GROUP BY 1, 2, 3, 4, 5, 6""");
        RAW.put("analytics_engagement", """
                WITH taught AS (
                    SELECT date_trunc('week', cs.started_at AT TIME ZONE 'UTC')::date AS week, cs.classroom_id,
                           least(floor(extract(epoch FROM cs.ended_at - cs.started_at) / 60), 240) AS minutes
                      FROM classroom_sessions cs
                ), lessons AS (
                    SELECT t.week, count(*) AS taught, count(DISTINCT t.classroom_id) AS classrooms,
                           percentile_disc(0.5) WITHIN GROUP (ORDER BY t.minutes) AS median
                      FROM taught t GROUP BY 1
                ), active AS (
                    SELECT date_trunc('week', a.at AT TIME ZONE 'UTC')::date AS week, count(DISTINCT a.student_session_id) AS sessions
                      FROM (SELECT p.student_session_id, p.started_at AS at FROM student_progress p
                            UNION ALL SELECT f.student_session_id, f.submitted_at FROM student_feedback f) a
                     GROUP BY 1
                )
                SELECT a.week, CASE WHEN a.sessions >= 5 AND l.classrooms >= 2 THEN l.taught END AS lessons_taught,
                       CASE WHEN a.sessions >= 5 AND l.classrooms >= 2 THEN l.classrooms END AS active_classrooms,
                       CASE WHEN a.sessions >= 5 AND l.classrooms >= 2 THEN a.sessions END AS student_sessions,
                       CASE WHEN a.sessions >= 5 AND l.classrooms >= 2 THEN l.median END AS median_lesson_minutes,
                       NOT (a.sessions >= 5 AND coalesce(l.classrooms, 0) >= 2) AS suppressed
                  FROM active a LEFT JOIN lessons l ON l.week = a.week""");
    }

    private static final String DAY_COUNTS = """
            INSERT INTO bench_day_counts (day, lesson_number, grade_level, age_range, sessions_started, sessions_completed, classrooms)
            SELECT (p.started_at AT TIME ZONE 'UTC')::date, l.lesson_number, (s.demographic_data ->> 'grade_level')::int,
                   s.demographic_data ->> 'age_range', count(DISTINCT p.student_session_id),
                   count(DISTINCT p.student_session_id) FILTER (WHERE p.status = 'completed'), count(DISTINCT p.classroom_id)
              FROM student_progress p
              JOIN student_sessions s ON s.id = p.student_session_id
              JOIN lessons l ON l.id = p.lesson_id
             WHERE p.started_at >= date_trunc('day', now() - interval '3 hours', 'UTC')
               AND p.started_at < date_trunc('day', now() - interval '3 hours', 'UTC') + interval '1 day'
             GROUP BY 1, 2, 3, 4""";

    private AnalyticsBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (TestDatabases databases = TestDatabases.start(TestkitSettings.embedded()); TestDatabase database = databases.create()) {
            DataSource owner = database.dataSource(DatabaseLogin.OWNER);
            long started = System.nanoTime();
            AnalyticsData.threeYears(owner);
            System.out.printf(Locale.ROOT, "three years written in %.1f s: %s%n", seconds(System.nanoTime() - started), sizes(owner));
            started = System.nanoTime();
            query(owner, "SELECT * FROM refresh_analytics('2000-01-01', NULL)"); // as the owner: longer than the application login's statement_timeout
            System.out.printf(Locale.ROOT, "first refresh of the three years: %.1f s%n", seconds(System.nanoTime() - started));

            if (args.length < 2 || !args[1].equals("nightly")) {
                views(database, rounds);
            }
            nightly(database, rounds);
        }
    }

    private static void views(TestDatabase database, int rounds) throws Exception {
        try (Connection analytics = database.dataSource(DatabaseLogin.ANALYTICS).getConnection();
                Connection owner = database.dataSource(DatabaseLogin.OWNER).getConnection()) {
            views(database, rounds, analytics, owner);
        }
    }

    /** Each side on a connection of its own, opened before: what is timed is the query, not a login. */
    private static void views(TestDatabase database, int rounds, Connection analytics, Connection owner) throws Exception {
        System.out.println();
        System.out.println("each view read whole, from the rollups as heroes_analytics, against the raw tables' aggregate (goal: >= 50x)");
        for (Map.Entry<String, String> view : RAW.entrySet()) {
            List<Double> ratios = new ArrayList<>();
            List<Long> viewNanos = new ArrayList<>();
            List<Long> rawNanos = new ArrayList<>();
            int[] rows = new int[2];
            for (int round = 0; round < rounds; round++) {
                long[] times = new long[2];
                for (int side : round % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                    checkpoint(database);
                    if (side == 0) {
                        // a read of a few milliseconds: the median of several, or the noise of this shared machine is the figure
                        List<Long> reads = new ArrayList<>();
                        for (int read = 0; read < VIEW_READS; read++) {
                            long before = System.nanoTime();
                            rows[side] = query(analytics, "SELECT * FROM public." + view.getKey());
                            reads.add(System.nanoTime() - before);
                        }
                        times[side] = median(reads);
                    } else {
                        long before = System.nanoTime();
                        rows[side] = query(owner, view.getValue());
                        times[side] = System.nanoTime() - before;
                    }
                }
                viewNanos.add(times[0]);
                rawNanos.add(times[1]);
                ratios.add((double) times[1] / times[0]);
            }
            System.out.printf(Locale.ROOT, "%-37s view %6.1f ms (%d rows), raw %7.0f ms (%d rows): %5.0fx (rounds %s)%n", view.getKey(),
                    median(viewNanos) / 1e6, rows[0], median(rawNanos) / 1e6, rows[1], medianOf(ratios), format(ratios, "%.0fx"));
        }
    }

    private static void nightly(TestDatabase database, int rounds) throws Exception {
        DataSource app = database.dataSource(DatabaseLogin.APP);
        DataSource owner = database.dataSource(DatabaseLogin.OWNER);
        execute(owner, """
                CREATE TABLE bench_day_counts (day date, lesson_number integer, grade_level integer, age_range text, sessions_started bigint,
                                               sessions_completed bigint, classrooms bigint)""");
        query(app, "SELECT * FROM refresh_analytics()"); // yesterday's nightly
        AnalyticsData.today(owner);
        System.out.println();
        System.out.println("a day of new data: " + query(owner, "SELECT 1 FROM student_progress WHERE recorded_at > now() - interval '1 day'")
                + " progress rows; the nightly refresh against one INSERT ... SELECT of the day's lesson counts (goal: >= 0.8x)");
        try (Connection appConnection = app.getConnection(); Connection ownerConnection = owner.getConnection()) {
            nightlyRounds(database, rounds, appConnection, ownerConnection, "as shipped (no index on started_at)");
            execute(ownerConnection, "CREATE INDEX bench_progress_started_at ON student_progress (started_at)");
            execute(ownerConnection, "ANALYZE student_progress");
            nightlyRounds(database, rounds, appConnection, ownerConnection, "with an index on student_progress (started_at) for the plain statement");
            execute(ownerConnection, "DROP INDEX bench_progress_started_at");
        }
    }

    private static void nightlyRounds(TestDatabase database, int rounds, Connection app, Connection owner, String baseline) throws Exception {
        List<Double> ratios = new ArrayList<>();
        List<Long> nightlyNanos = new ArrayList<>();
        List<Long> plainNanos = new ArrayList<>();
        int cells = 0;
        for (int round = 0; round < rounds; round++) {
            long[] times = new long[2];
            for (int side : round % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                execute(owner, "TRUNCATE bench_day_counts");
                // every round's nightly rebuilds the same classrooms: those that received rows since yesterday's refresh
                execute(owner, "UPDATE analytics_settings SET refreshed_at = now() - interval '20 hours'");
                checkpoint(database);
                long before = System.nanoTime();
                if (side == 0) {
                    query(app, "SELECT * FROM refresh_analytics()");
                } else {
                    cells = execute(owner, DAY_COUNTS);
                }
                times[side] = System.nanoTime() - before;
            }
            nightlyNanos.add(times[0]);
            plainNanos.add(times[1]);
            ratios.add((double) times[1] / times[0]);
        }
        System.out.printf(Locale.ROOT, "%s: nightly refresh %7.1f ms, plain INSERT ... SELECT %6.1f ms (%d cells): %.2fx (rounds %s)%n",
                baseline, median(nightlyNanos) / 1e6, median(plainNanos) / 1e6, cells, medianOf(ratios), format(ratios, "%.2f"));
    }

    private static String sizes(DataSource owner) throws SQLException {
        List<String> counts = new ArrayList<>();
        for (String table : List.of("student_sessions", "student_progress", "student_feedback", "classroom_sessions")) {
            counts.add(String.format(Locale.ROOT, "%,d %s", count(owner, "SELECT count(*) FROM " + table), table));
        }
        return String.join(", ", counts);
    }

    /** A checkpoint (the backup login holds {@code pg_checkpoint}): a timed run does not pay for the writes before it. */
    private static void checkpoint(TestDatabase database) throws SQLException {
        execute(database.dataSource(DatabaseLogin.BACKUP), "CHECKPOINT");
    }

    private static int query(DataSource login, String sql) throws SQLException {
        try (Connection connection = login.getConnection()) {
            return query(connection, sql);
        }
    }

    /** @return the rows read, every column of each fetched */
    private static int query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            int rows = 0;
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    rs.getObject(i);
                }
                rows++;
            }
            return rows;
        }
    }

    private static int execute(DataSource login, String sql) throws SQLException {
        try (Connection connection = login.getConnection()) {
            return execute(connection, sql);
        }
    }

    private static int execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private static long count(DataSource login, String sql) throws SQLException {
        try (Connection connection = login.getConnection(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static double medianOf(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static List<String> format(List<Double> values, String pattern) {
        return values.stream().map(v -> String.format(Locale.ROOT, pattern, v)).toList();
    }
}
