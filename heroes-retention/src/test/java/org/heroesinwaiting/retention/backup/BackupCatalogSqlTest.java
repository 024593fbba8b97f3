package org.heroesinwaiting.retention.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backup catalog's SQL against a real PostgreSQL: schedules as cron, retention by class over
 * seven simulated years (rows dated in the past, the clock at the database's present), and the
 * health report. The application login runs what the server runs.
 */
class BackupCatalogSqlTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    /** Backups as seven years of the seeded schedules would have made them, all whole. */
    private static final String SEVEN_YEARS = """
            INSERT INTO backup_log (kind, format, schedule_id, database_name, started_at, finished_at, status, retention_class,
                                    expires_at, snapshot_at, label, physical_type, wal_start, wal_stop, lsn_start, snapshot_lsn)
            SELECT s.kind, CASE WHEN p.physical THEN 'pgbackrest' ELSE 'custom' END, s.id, current_database(), t, t + interval '10 minutes',
                   'succeeded', s.kind, t + s.keep_for, t,
                   CASE s.kind WHEN 'physical-full' THEN to_char(t, 'YYYYMMDD-HH24MISS') || 'F'
                               WHEN 'daily' THEN to_char(t, 'YYYYMMDD-HH24MISS') || 'F_' || to_char(t, 'YYYYMMDD-HH24MISS') || 'D' END,
                   CASE s.kind WHEN 'physical-full' THEN 'full' WHEN 'daily' THEN 'diff' END,
                   CASE WHEN p.physical THEN '000000010000000000000001' END, CASE WHEN p.physical THEN '000000010000000000000001' END,
                   CASE WHEN p.physical THEN pg_lsn '0/1000028' END, CASE WHEN p.physical THEN pg_lsn '0/1000100' END
              FROM backup_schedules s CROSS JOIN LATERAL app.cron_fire_times(s.cron, s.time_zone, now() - interval '7 years', now()) t
             CROSS JOIN LATERAL (SELECT s.kind IN ('physical-full', 'daily') AS physical) p
             WHERE s.kind IN ('full', 'archive', 'physical-full', 'daily')""";

    @Test
    void sevenYearsOfBackupsKeepExactlyWhatEachClassSays(@Owner Jdbi owner, DataSource app) {
        owner.useHandle(handle -> handle.execute(SEVEN_YEARS));
        Instant now = owner.withHandle(handle -> handle.createQuery("SELECT now()").mapTo(Instant.class).one());
        // the exceptions: fulls verified only up to four years ago, an archive a DBA keeps, a recent
        // daily that needs an expired full
        long newestVerified = owner.withHandle(handle -> handle.createQuery("""
                UPDATE backup_log SET verified_at = started_at + interval '1 hour', verification = 'passed'
                 WHERE kind = 'full' AND started_at < now() - interval '4 years' RETURNING id""").mapTo(Long.class).list()
                .stream().mapToLong(Long::longValue).max().orElseThrow());
        long kept = owner.withHandle(handle -> handle.createQuery("""
                UPDATE backup_log SET keep = true
                 WHERE id = (SELECT min(id) FROM backup_log WHERE kind = 'archive') RETURNING id""").mapTo(Long.class).one());
        long needed = owner.withHandle(handle -> handle.createQuery("""
                UPDATE backup_log SET depends_on = (SELECT min(id) FROM backup_log WHERE kind = 'full')
                 WHERE id = (SELECT max(id) FROM backup_log WHERE kind = 'daily') RETURNING depends_on""").mapTo(Long.class).one());

        // the newest physical full older than the 90-day point-in-time window: the window's first moment is reached from it
        long anchor = owner.withHandle(handle -> handle.createQuery("""
                SELECT id FROM backup_log WHERE kind = 'physical-full' AND snapshot_at <= now() - interval '90 days'
                 ORDER BY snapshot_at DESC LIMIT 1""").mapTo(Long.class).one());

        List<Long> marked = Jdbi.create(app).withHandle(handle -> handle.createQuery("SELECT backup_id FROM cleanup_old_backups()")
                .mapTo(Long.class).list());

        Map<String, Long> left = owner.withHandle(handle -> handle.createQuery(
                "SELECT kind, count(*) AS n FROM backup_log WHERE status = 'succeeded' GROUP BY kind")
                .reduceRows(new java.util.TreeMap<String, Long>(), (map, row) -> {
                    map.put(row.getColumn("kind", String.class), row.getColumn("n", Long.class));
                    return map;
                }));
        assertThat(left).containsEntry("full", fires(now, Duration.ofDays(1095), DayOfWeek.SUNDAY, 1) + 2)
                .containsEntry("daily", fires(now, Duration.ofDays(90), null, 3))
                .containsEntry("archive", firstsOfMonth(now, 6) + 1)
                .containsEntry("physical-full", fires(now, Duration.ofDays(90), DayOfWeek.SUNDAY, 1) + 1);
        assertThat(count(owner, "SELECT count(*) FROM backup_log WHERE status = 'expired'")).isEqualTo(marked.size()).isPositive();
        assertThat(marked).doesNotContain(newestVerified, kept, needed, anchor);
        assertThat(count(owner, """
                SELECT count(*) FROM backup_log
                 WHERE (status = 'expired' AND expires_at > now())
                    OR (status = 'succeeded' AND expires_at <= now() AND id NOT IN (%d, %d, %d, %d))"""
                .formatted(newestVerified, kept, needed, anchor))).as("rows on the wrong side of their class's period").isZero();

        long again = Jdbi.create(app).withHandle(handle -> handle.createQuery("SELECT count(*) FROM cleanup_old_backups()")
                .mapTo(Long.class).one());
        assertThat(again).as("a second cleanup marks nothing").isZero();
    }

    @Test
    void theCleanupRefusesAFutureMomentAndOnlyTheOwnersFunctionsWriteTheCatalog(@Owner Jdbi owner, DataSource app) {
        Jdbi application = Jdbi.create(app);
        assertThatThrownBy(() -> application.useHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM cleanup_old_backups(now() + interval '1 day')").mapTo(Long.class).one()))
                .hasMessageContaining("as_of must not be later than now()");
        for (String statement : List.of("INSERT INTO backup_log (kind, format, database_name, retention_class) VALUES ('full', 'custom', 'x', 'manual')",
                "UPDATE backup_schedules SET enabled = false", "DELETE FROM backup_files")) {
            assertThatThrownBy(() -> application.useHandle(handle -> handle.execute(statement))).as(statement)
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("42501"));
        }

        long id = application.withHandle(handle -> handle.createQuery("SELECT app.backup_begin('full', 'custom', 'weekly-full')")
                .mapTo(Long.class).one());
        application.useHandle(handle -> handle.execute("""
                SELECT app.backup_succeeded(?, '[{"path": "full/a.dump", "size_bytes": 10, "sha256": "%s"}]',
                                            '{"classrooms": 3}', pg_current_wal_lsn(), now())""".formatted("ab".repeat(32)), id));
        Map<String, Object> row = owner.withHandle(handle -> handle.createQuery("""
                SELECT status, retention_class, expires_at - started_at AS kept_for, table_rows ->> 'classrooms' AS classrooms,
                       system_identifier IS NOT NULL AS identified, (SELECT count(*) FROM backup_files WHERE backup_id = b.id) AS files
                  FROM backup_log b WHERE id = ?""").bind(0, id).mapToMap().one());
        assertThat(row).containsEntry("status", "succeeded").containsEntry("retention_class", "full").containsEntry("classrooms", "3")
                .containsEntry("identified", true).containsEntry("files", 1L);
        assertThat(row.get("kept_for").toString()).contains("1095 days");
        assertThatThrownBy(() -> application.useHandle(handle -> handle.execute("SELECT app.backup_failed(?, 'late')", id)))
                .hasMessageContaining("is not running");
        assertThatThrownBy(() -> application.useHandle(handle -> handle.execute("SELECT app.backup_begin('full', 'custom', 'monthly-archive')")))
                .hasMessageContaining("no full schedule named monthly-archive");
    }

    @Test
    void schedulesAreCronReadInTheirZoneAndABadOneIsRefusedSayingWhy(@Owner Jdbi owner) {
        List<String> fires = owner.withHandle(handle -> handle.createQuery("""
                SELECT to_char(t AT TIME ZONE 'UTC', 'Dy HH24:MI') FROM app.cron_fire_times('0 3 * * 1-6', 'UTC',
                       timestamptz '2030-01-06 00:00+00', timestamptz '2030-01-13 00:00+00') t""").mapTo(String.class).list());
        assertThat(fires).containsExactly("Mon 03:00", "Tue 03:00", "Wed 03:00", "Thu 03:00", "Fri 03:00", "Sat 03:00");
        List<String> newYork = owner.withHandle(handle -> handle.createQuery("""
                SELECT to_char(t AT TIME ZONE 'UTC', 'MM-DD HH24:MI') FROM app.cron_fire_times('0 2 1 * *', 'America/New_York',
                       timestamptz '2030-01-15 00:00+00', timestamptz '2030-08-15 00:00+00') t""").mapTo(String.class).list());
        assertThat(newYork).as("02:00 in New York, winter and summer time").startsWith("02-01 07:00").contains("07-01 06:00").hasSize(7);

        assertThatThrownBy(() -> owner.useHandle(handle -> handle.execute("UPDATE backup_schedules SET cron = '61 1 * * 0' WHERE name = 'weekly-full'")))
                .hasMessageContaining("cron minute: \"61\" is outside 0 to 59");
        assertThatThrownBy(() -> owner.useHandle(handle -> handle.execute("UPDATE backup_schedules SET cron = '0 1 * *' WHERE name = 'weekly-full'")))
                .hasMessageContaining("must have five fields");
        assertThatThrownBy(() -> owner.useHandle(handle -> handle.execute("UPDATE backup_schedules SET time_zone = 'Mars/Olympus' WHERE name = 'weekly-full'")))
                .hasMessageContaining("Mars/Olympus");
    }

    @Test
    void theHealthReportCountsSuccessesFailuresAndTheSchedulesMissed(@Owner Jdbi owner, DataSource app) {
        owner.useHandle(handle -> {
            handle.execute("ALTER TABLE backup_schedules DISABLE TRIGGER backup_schedules_touch");
            handle.execute("UPDATE backup_schedules SET updated_at = now() - interval '60 days'");
            handle.execute("ALTER TABLE backup_schedules ENABLE TRIGGER backup_schedules_touch");
            // the two latest Sundays' fulls: one made, one failed; the Sundays before them had none
            handle.execute("""
                    INSERT INTO backup_log (kind, format, schedule_id, database_name, started_at, finished_at, status, retention_class,
                                            expires_at, snapshot_at, error)
                    SELECT 'full', 'custom', s.id, current_database(), t + interval '1 minute', t + interval '9 minutes',
                           CASE WHEN n = 1 THEN 'failed' ELSE 'succeeded' END, 'full', t + s.keep_for, t + interval '1 minute',
                           CASE WHEN n = 1 THEN 'disk full' END
                      FROM backup_schedules s
                     CROSS JOIN LATERAL (SELECT t, row_number() OVER (ORDER BY t DESC) AS n
                                           FROM app.cron_fire_times(s.cron, s.time_zone, now() - interval '30 days', now() - interval '1 hour') t) f
                     WHERE s.name = 'weekly-full' AND f.n <= 2""");
        });
        Instant now = owner.withHandle(handle -> handle.createQuery("SELECT now()").mapTo(Instant.class).one());
        long sundays = fires(now.minus(Duration.ofHours(1)), Duration.ofDays(30).minus(Duration.ofHours(1)), DayOfWeek.SUNDAY, 1);

        Map<String, Object> full = Jdbi.create(app).withHandle(handle -> handle.createQuery(
                "SELECT * FROM generate_backup_health_report(30) WHERE kind = 'full'").mapToMap().one());

        assertThat(full).containsEntry("successes", 1L).containsEntry("failures", 1L).containsEntry("missed_schedules", sundays - 2);
        assertThat(full.get("newest_restorable_point")).isNotNull();
        long kinds = Jdbi.create(app).withHandle(handle -> handle.createQuery("SELECT count(*) FROM generate_backup_health_report(30)")
                .mapTo(Long.class).one());
        assertThat(kinds).isEqualTo(4);
        assertThatThrownBy(() -> Jdbi.create(app).useHandle(handle -> handle.createQuery("SELECT * FROM generate_backup_health_report(0)")
                .mapToMap().list())).hasMessageContaining("days must be between 1 and 3660");
    }

    @Test
    void aDisasterRecoveryPlanEstimatesFromTheMeasuredRateAndTheDataAndSaysWhenItMissesItsRto(@Owner Jdbi owner, DataSource app) {
        Jdbi application = Jdbi.create(app);
        // one logical full backup, and one restore of it measured at 10,000 bytes a second
        owner.useHandle(handle -> handle.execute("""
                WITH b AS (
                    INSERT INTO backup_log (kind, format, database_name, started_at, finished_at, status, retention_class, snapshot_at, verified_at,
                                            verification)
                    VALUES ('full', 'custom', current_database(), now() - interval '1 day', now() - interval '1 day', 'succeeded', 'manual',
                            now() - interval '1 day', now(), 'passed') RETURNING id)
                INSERT INTO recovery_log (kind, backup_id, target_database, started_at, finished_at, status, restored_bytes)
                SELECT 'full', b.id, 'copy', now() - interval '100 seconds', now(), 'succeeded', 1000000 FROM b"""));
        Map<String, Object> first = plan(application, "hardware_failure", "low");
        owner.useHandle(handle -> handle.execute("""
                CREATE TABLE ballast AS SELECT n, repeat(md5(n::text), 30) AS filler FROM generate_series(1, (pg_database_size(current_database()) / 900)::integer) n"""));
        Map<String, Object> doubled = plan(application, "hardware_failure", "low");

        assertThat(first).containsEntry("recovery_method", "logical-full").containsEntry("meets_rto", true);
        assertThat(seconds(doubled)).as("double the data, the estimate grows").isGreaterThan(seconds(first) * 1.8);
        assertThat((long) doubled.get("data_bytes")).isGreaterThan(2 * (long) first.get("data_bytes") * 9 / 10);
        assertThat(((java.math.BigDecimal) first.get("restore_bytes_per_second")).intValue()).isEqualTo(10000);

        owner.useHandle(handle -> handle.execute("UPDATE recovery_log SET restored_bytes = 10000")); // 100 bytes a second
        Map<String, Object> slow = plan(application, "database_corruption", "critical");
        assertThat(slow).containsEntry("meets_rto", false);
        List<String> actions = application.withHandle(handle -> handle.createQuery(
                "SELECT action FROM execute_disaster_recovery_plan('database_corruption', 'critical')").mapTo(String.class).list());
        assertThat(actions.get(0)).startsWith("Declare the incident");
        assertThat(actions.get(actions.size() - 1)).contains("CANNOT meet its RTO of 04:00:00");
        assertThatThrownBy(() -> plan(application, "meteor", "high")).hasMessageContaining("scenario is database_corruption");
    }

    private static Map<String, Object> plan(Jdbi application, String scenario, String severity) {
        return application.withHandle(handle -> {
            long id = handle.createQuery("SELECT DISTINCT plan_id FROM execute_disaster_recovery_plan(:scenario, :severity)")
                    .bind("scenario", scenario).bind("severity", severity).mapTo(Long.class).one();
            return handle.createQuery("""
                    SELECT recovery_method, meets_rto, extract(epoch FROM estimated)::float8 AS seconds, data_bytes, restore_bytes_per_second
                      FROM disaster_recovery_plans WHERE id = :id""").bind("id", id).mapToMap().one();
        });
    }

    private static double seconds(Map<String, Object> plan) {
        return ((Number) plan.get("seconds")).doubleValue();
    }

    /** Fire times at hour:00 UTC in (end - span, end] on the given weekday (null: Monday to Saturday). */
    private static long fires(Instant end, Duration span, DayOfWeek weekday, int hour) {
        Instant start = end.minus(span);
        long n = 0;
        for (LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC); !day.isAfter(LocalDate.ofInstant(end, ZoneOffset.UTC)); day = day.plusDays(1)) {
            boolean on = weekday == null ? day.getDayOfWeek() != DayOfWeek.SUNDAY : day.getDayOfWeek() == weekday;
            Instant fire = ZonedDateTime.of(day.atTime(hour, 0), ZoneOffset.UTC).toInstant();
            if (on && fire.isAfter(start) && !fire.isAfter(end)) {
                n++;
            }
        }
        return n;
    }

    /** Firsts of the month at 02:00 UTC in (end - years, end]. */
    private static long firstsOfMonth(Instant end, int years) {
        Instant start = ZonedDateTime.ofInstant(end, ZoneOffset.UTC).minusYears(years).toInstant();
        long n = 0;
        for (LocalDate day = LocalDate.ofInstant(start, ZoneOffset.UTC).withDayOfMonth(1); !day.isAfter(LocalDate.ofInstant(end, ZoneOffset.UTC));
                day = day.plusMonths(1)) {
            Instant fire = ZonedDateTime.of(day.atTime(2, 0), ZoneOffset.UTC).toInstant();
            if (fire.isAfter(start) && !fire.isAfter(end)) {
                n++;
            }
        }
        return n;
    }

    private static long count(Jdbi owner, String sql) {
        return owner.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
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
