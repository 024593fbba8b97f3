package org.heroesinwaiting.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.retention.backup.BackupFailedException;
import org.heroesinwaiting.retention.backup.BackupFixtures;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupResult;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.backup.StartedBackup;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.retention.recovery.RestoreResult;
import org.heroesinwaiting.retention.recovery.RestoreService;
import org.heroesinwaiting.retention.recovery.StartedVerification;
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
            assertThat(heroes.findPort(BackupTasks.class)).isEmpty();
            assertThat(heroes.findPort(RetentionService.class)).isPresent();
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

            // docs/library.md, "Backups": off the caller's thread
            BackupTasks tasks = heroes.findPort(BackupTasks.class).orElseThrow();
            StartedBackup started = tasks.backup(BackupRequest.manual(BackupKind.FULL));
            long id = started.id(); // running in backup_log already
            StartedVerification drill = tasks.verify(started.result().join().id());
            boolean passed = drill.result().join().passed();

            assertThat(id).isGreaterThan(full.id());
            assertThat(passed).isTrue();
            assertThat(drill.backupId()).isEqualTo(id);
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
    void closingTheRootStopsARunningBackupAndRecordsItFailed(TestDatabase database, @Owner Jdbi owner, DataSource app, @TempDir Path root)
            throws Exception {
        BackupFixtures.slowToDump(owner);
        BackupSettings backups = new BackupSettings(BackupTarget.of(database.jdbcUrl(), DatabaseLogin.BACKUP.roleName(),
                database.password(DatabaseLogin.BACKUP)), root, Optional.empty(), Optional.empty(), ExternalTools.system());
        StartedBackup started;
        try (Heroes heroes = Heroes.create(settings().with(BackupSettings.class, backups), app, Clock.systemUTC())) {
            started = heroes.findPort(BackupTasks.class).orElseThrow().backup(BackupRequest.manual(BackupKind.FULL));
            for (int i = 0; i < 6000 && !BackupFixtures.writing(root.resolve("full")) && !started.result().isDone(); i++) {
                Thread.sleep(5);
            }
            assertThat(started.result()).as("still dumping when the root closes").isNotDone();
        }

        assertThatThrownBy(() -> started.result().get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(BackupFailedException.class)
                .hasMessageContaining("interrupted");
        Map<String, Object> row = owner.withHandle(handle -> handle.createQuery("SELECT status, error FROM backup_log WHERE id = :id")
                .bind("id", started.id()).mapToMap().one());
        assertThat(row).containsEntry("status", "failed").containsEntry("error", "interrupted");
        try (Stream<Path> left = Files.list(root.resolve("full"))) {
            assertThat(left).as("no file, not even a temporary one").isEmpty();
        }
    }


    @Test
    void theSchedulesRunOnceEachAsTheyFallDueAndTheDrillVerifiesTheNewestFull(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) {
        BackupFixtures.school(owner, 2, 2);
        // the weekly full and the daily fired once, half an hour ago (and fire next in a day); the others are off
        owner.useHandle(handle -> handle.createScript("""
                ALTER TABLE backup_schedules DISABLE TRIGGER backup_schedules_touch;
                UPDATE backup_schedules SET enabled = (name IN ('weekly-full', 'daily')),
                       cron = CASE WHEN name IN ('weekly-full', 'daily') THEN to_char((now() - interval '30 minutes') AT TIME ZONE 'UTC', 'MI HH24') || ' * * *'
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

            assertThat(first.detail()).as("without pgBackRest a physical schedule is noted, not failed")
                    .startsWith("daily: physical backups are off (pgBackRest is not set up: install Debian's pgbackrest package); weekly-full: backup ");
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
