package org.heroesinwaiting.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.retention.backup.BackupFixtures;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupResult;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.retention.recovery.RestoreResult;
import org.heroesinwaiting.retention.recovery.RestoreService;
import org.heroesinwaiting.retention.recovery.Verification;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The backup module: its ports and jobs when the host gives its settings, and the schedules run as they fall due. */
class BackupModuleTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static HeroesSettings settings() {
        return HeroesSettings.of(RetentionServiceTest.KEYRING).withHashing(1, 4).withPasswordHasher(new PasswordHasher(1024, 1, 1));
    }

    @Test
    void withoutSettingsThereIsNoBackupPortNorJob(DataSource app) {
        try (Heroes heroes = Heroes.create(settings(), app, Clock.systemUTC())) {
            assertThat(heroes.jobs().find(BackupScheduleJob.NAME)).isEmpty();
            assertThat(heroes.modules()).contains("backup", "retention");
        }
    }

    @Test
    void theLibraryGuidesExampleMakesAndVerifiesABackup(TestDatabase database, @Owner Jdbi owner, DataSource app, @TempDir Path root) {
        BackupFixtures.school(owner, 2, 2);
        String url = database.jdbcUrl();
        String backupPassword = database.password(DatabaseLogin.BACKUP);
        String host = database.host();
        int port = database.port();
        String superuserPassword = "";

        // docs/library.md, "Backups"
        HeroesSettings settings = settings().with(BackupSettings.class, new BackupSettings(
                BackupTarget.of(url, "heroes_backup", backupPassword), root, Optional.empty(),
                Optional.of(new ClusterLogin(host, port, "postgres", superuserPassword)), ExternalTools.system()));
        try (Heroes heroes = Heroes.create(settings, app, Clock.systemUTC())) {
            BackupResult full = heroes.port(BackupService.class).run(BackupRequest.manual(BackupKind.FULL).bySchedule("weekly-full"));
            Verification checked = heroes.port(RestoreService.class).verify(full.id());
            RestoreResult copy = heroes.port(RestoreService.class).restore(full.id(), "heroes_in_waiting_restored");

            assertThat(checked.passed()).as(checked.findings().toString()).isTrue();
            assertThat(copy.tablesCompared()).isEqualTo(full.tableRows().size());
            owner.useHandle(handle -> handle.execute("SELECT 1")); // the live database is untouched and answers
        } finally {
            try (var connection = java.sql.DriverManager.getConnection(new ClusterLogin(host, port, "postgres", "").jdbcUrl("postgres"),
                    "postgres", ""); var sql = connection.createStatement()) {
                sql.execute("DROP DATABASE IF EXISTS heroes_in_waiting_restored WITH (FORCE)");
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void theSchedulesRunOnceEachAsTheyFallDueAndTheDrillVerifiesTheNewestFull(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) {
        BackupFixtures.school(owner, 2, 2);
        // the weekly full fired once, half an hour ago (and fires next in a day); the archive and the cleanup are off
        owner.useHandle(handle -> handle.createScript("""
                ALTER TABLE backup_schedules DISABLE TRIGGER backup_schedules_touch;
                UPDATE backup_schedules SET enabled = (name = 'weekly-full'),
                       cron = CASE WHEN name = 'weekly-full' THEN to_char((now() - interval '30 minutes') AT TIME ZONE 'UTC', 'MI HH24') || ' * * *'
                                   ELSE cron END,
                       time_zone = 'UTC', updated_at = now() - interval '1 hour';
                ALTER TABLE backup_schedules ENABLE TRIGGER backup_schedules_touch""").execute());
        BackupSettings backups = new BackupSettings(BackupTarget.of(database.jdbcUrl(), DatabaseLogin.BACKUP.roleName(),
                database.password(DatabaseLogin.BACKUP)), root, Optional.empty(),
                Optional.of(new ClusterLogin(database.host(), database.port(), "postgres", "")), ExternalTools.system());

        try (Heroes heroes = Heroes.create(settings().with(BackupSettings.class, backups), app, Clock.systemUTC())) {
            assertThat(heroes.port(BackupService.class)).isNotNull();
            assertThat(heroes.port(RestoreService.class)).isNotNull();
            Job schedules = heroes.jobs().find(BackupScheduleJob.NAME).orElseThrow();
            Job drill = heroes.jobs().find(BackupDrillJob.NAME).orElseThrow();

            JobOutcome first = schedules.run();
            JobOutcome second = schedules.run();
            JobOutcome drilled = drill.run();

            assertThat(first.detail()).startsWith("weekly-full: backup ");
            assertThat(first.count("backups")).isOne();
            assertThat(second.detail()).as("the same fire time never runs twice").isEqualTo("no backup schedule is due");
            List<String> made = owner.withHandle(handle -> handle.createQuery("""
                    SELECT s.name || ' ' || b.status || ' ' || b.retention_class || ' ' || coalesce(b.verification, '-')
                      FROM backup_log b JOIN backup_schedules s ON s.id = b.schedule_id""").mapTo(String.class).list());
            assertThat(made).containsExactly("weekly-full succeeded full passed");
            assertThat(drilled.detail()).contains("passed its restore drill");
        }
    }
}
