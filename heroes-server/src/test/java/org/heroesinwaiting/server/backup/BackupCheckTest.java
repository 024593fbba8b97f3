package org.heroesinwaiting.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupCatalog;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthStatus;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code backup} in /health and the backup meters, read from a real catalog whose rows are dated in the past. */
class BackupCheckTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    /** A full backup that succeeded {@code days} ago, with one file of {@code size} bytes. */
    private static long full(Jdbi owner, int days, long size) {
        return owner.withHandle(handle -> handle.createQuery("""
                WITH b AS (
                    INSERT INTO backup_log (kind, format, database_name, started_at, finished_at, status, retention_class, snapshot_at)
                    VALUES ('full', 'custom', current_database(), now() - make_interval(days => :days) - interval '90 seconds',
                            now() - make_interval(days => :days), 'succeeded', 'manual', now() - make_interval(days => :days))
                    RETURNING id)
                INSERT INTO backup_files (backup_id, path, size_bytes, sha256) SELECT b.id, '/b/' || b.id, :size, repeat('a', 64) FROM b
                RETURNING backup_id""").bind("days", days).bind("size", size).mapTo(Long.class).one());
    }

    @Test
    void aFullBackupUnverifiedForMoreThanAWeekOrAFailedDrillDegradesHealth(@Owner Jdbi owner, DataSource app) {
        BackupCheck check = new BackupCheck(new BackupCatalog(new TransactionRunner(HeroesJdbi.create(app))));
        assertThat(check.check()).isEqualTo(CheckResult.up("no full backup yet"));

        long old = full(owner, 8, 1000);
        CheckResult unverified = check.check();
        assertThat(unverified.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(unverified.detail()).contains("(" + old + ", ", "more than a week", "./heroes backup verify " + old);

        owner.useHandle(handle -> handle.execute("UPDATE backup_log SET verified_at = now(), verification = 'passed' WHERE id = ?", old));
        assertThat(check.check().status()).isEqualTo(HealthStatus.UP);
        long fresh = full(owner, 1, 2000);
        assertThat(check.check().detail()).as("a day-old backup may wait for its drill").contains("backup " + fresh, "not verified yet");

        owner.useHandle(handle -> handle.execute("""
                INSERT INTO recovery_log (kind, backup_id, target_database, status, finished_at, error)
                VALUES ('drill', ?, 'heroes_drill_x', 'failed', now(), 'pg_amcheck found corruption')""", fresh));
        CheckResult drill = check.check();
        assertThat(drill.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(drill.detail()).contains("restore drill", "backup " + fresh, "pg_amcheck found corruption");
    }

    @Test
    void theMetersSayEachKindsLastSuccessItsSizeDurationAndFailures(@Owner Jdbi owner, DataSource app) {
        full(owner, 2, 1234);
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO backup_log (kind, format, database_name, finished_at, status, retention_class, error)
                VALUES ('full', 'custom', current_database(), now(), 'failed', 'manual', 'disk full'),
                       ('archive', 'custom', current_database(), now(), 'failed', 'manual', 'disk full')"""));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        new BackupMetrics(new BackupCatalog(new TransactionRunner(HeroesJdbi.create(app)))).bindTo(registry);

        assertThat(registry.get("heroes.backup.size").tag("kind", "full").gauge().value()).isEqualTo(1234);
        assertThat(registry.get("heroes.backup.duration").tag("kind", "full").timeGauge().value(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(90);
        assertThat(registry.get("heroes.backup.failures").tag("kind", "full").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("heroes.backup.failures").tag("kind", "archive").functionCounter().count()).isEqualTo(1);
        double last = registry.get("heroes.backup.last.success").tag("kind", "full").timeGauge().value(java.util.concurrent.TimeUnit.SECONDS);
        double now = owner.withHandle(handle -> handle.createQuery("SELECT extract(epoch FROM now())").mapTo(Double.class).one());
        assertThat(now - last).isBetween(2 * 86400.0 - 5, 2 * 86400.0 + 5);
        assertThat(registry.get("heroes.backup.last.success").tag("kind", "archive").timeGauge().value(java.util.concurrent.TimeUnit.SECONDS))
                .isNaN();
    }
}
