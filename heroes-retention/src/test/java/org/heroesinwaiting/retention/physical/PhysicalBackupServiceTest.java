package org.heroesinwaiting.retention.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.DedicatedServer;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Physical backups through the catalog, with the real pgBackRest on a cluster of its own whose WAL
 * it archives: each run is a backup_log row with what pgBackRest says of it, and the catalog's
 * classes decide what pgBackRest expires (and with them the WAL: the class keeps that of 2 fulls, not 15). Years are simulated by dating the catalog's rows in the
 * past; pgBackRest's own time retention (a cap of 400 days) never sees them.
 */
class PhysicalBackupServiceTest {

    @TempDir
    static Path folder;

    private static ArchivedCluster cluster;
    private static DedicatedServer server;
    private static TestDatabase database;
    private static PhysicalBackupService service;
    private static Jdbi owner;

    @BeforeAll
    static void start() {
        cluster = ArchivedCluster.start(folder, 2); // the WAL of the last 2 fulls kept whole, so that the test sees it expire
        server = cluster.server();
        database = cluster.database();
        cluster.pgBackRest().check(); // as heroes_backup: bootstrap.sql's grants are all a backup needs
        service = cluster.physicalBackups();
        owner = database.jdbi(DatabaseLogin.OWNER);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachBackupIsACatalogRowAndTheCatalogsClassesDecideWhatPgBackRestExpires() {
        TransactionRunner transactions = cluster.catalog();
        BackupTarget backupTarget = cluster.backupTarget();
        PgBackRest pgBackRest = cluster.pgBackRest();
        // docs/library.md's example
        PhysicalBackupService physical = new PhysicalBackupService(transactions, backupTarget, pgBackRest);
        PhysicalBackupResult full = physical.run(BackupKind.PHYSICAL_FULL, Optional.of("weekly-physical-full"));
        PhysicalBackupResult daily = physical.run(BackupKind.DAILY, Optional.of("daily"));
        PhysicalBackupResult full1 = full;
        PhysicalBackupResult daily1 = daily;

        assertThat(full1.backup().type()).isEqualTo("full");
        assertThat(daily1.backup().type()).as("dailies are differentials: each expires on its own").isEqualTo("diff");
        assertThat(daily1.backup().prior()).contains(full1.backup().label());
        assertThat(row(full1.id())).isEqualTo("physical-full|pgbackrest|succeeded|physical-full|full|" + full1.backup().label()
                + "|-|-|" + full1.backup().walStart() + "|" + full1.backup().lsnStop());
        assertThat(row(daily1.id())).isEqualTo("daily|pgbackrest|succeeded|daily|diff|" + daily1.backup().label() + "|"
                + full1.backup().label() + "|" + full1.id() + "|" + daily1.backup().walStart() + "|" + daily1.backup().lsnStop());
        assertThat(text("SELECT (expires_at - started_at)::text FROM backup_log WHERE id = " + daily1.id())).isEqualTo("90 days");
        assertThat(text("SELECT (cluster_bytes > repository_bytes AND repository_bytes > 0)::text FROM backup_log WHERE id = " + full1.id()))
                .isEqualTo("true");
        assertThat(text("SELECT successes || '|' || kept_size_bytes FROM generate_backup_health_report(30) WHERE kind = 'physical-full'"))
                .isEqualTo("1|" + full1.backup().repositoryBytes());
        assertThat(text("SELECT app.point_in_time_window()::text")).isEqualTo("90 days");

        PhysicalBackupResult full2 = service.run(BackupKind.PHYSICAL_FULL, Optional.of("weekly-physical-full"));
        PhysicalBackupResult daily2 = service.run(BackupKind.DAILY, Optional.of("daily"));
        PhysicalBackupResult full3 = service.run(BackupKind.PHYSICAL_FULL, Optional.empty());
        assertThat(daily2.backup().prior()).contains(full2.backup().label());

        // the first week 200 days ago, the second 100 days ago (before the 90-day window), the third now
        cluster.age(List.of(full1.id(), daily1.id()), 200);
        cluster.age(List.of(full2.id(), daily2.id()), 100);
        PhysicalCleanupResult cleanup = service.cleanup();

        assertThat(cleanup.failures()).isEmpty();
        assertThat(cleanup.deleted()).containsExactly(daily2.id(), daily1.id(), full1.id());
        assertThat(text("SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM backup_log WHERE id BETWEEN " + full1.id()
                + " AND " + full3.id())).isEqualTo(String.join(",",
                full1.id() + ":deleted", daily1.id() + ":deleted", full2.id() + ":succeeded", daily2.id() + ":deleted",
                full3.id() + ":succeeded"));
        PgBackRestInfo info = service.pgBackRest().info();
        assertThat(info.backups()).extracting(PhysicalBackup::label)
                .as("the newest full before the window stays: the window's first moment is reached from it")
                .containsExactly(full2.backup().label(), full3.backup().label());
        assertThat(info.archiveMin()).as("the WAL of the last 2 fulls (repo1-retention-archive) is kept whole, none older")
                .contains(full2.backup().walStart());
        assertThat(service.verify()).isEmpty();
        assertThat(text("SELECT string_agg(id || ':' || verification, ',' ORDER BY id) FROM backup_log WHERE verified_at IS NOT NULL"))
                .as("recorded on the backups the repository holds").isEqualTo(full2.id() + ":passed," + full3.id() + ":passed");
        assertThat(service.cleanup().deleted()).as("a second cleanup finds nothing").isEmpty();
    }

    @Test
    void aLogicalKindIsRefusedAndAFailureIsRecordedWithPgBackRestsError() throws Exception {
        assertThatThrownBy(() -> service.run(BackupKind.FULL, Optional.empty())).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("logical");
        PgBackRestConfig real = service.pgBackRest().config();
        PgBackRestConfig elsewhere = new PgBackRestConfig(real.stanza(), folder.resolve("no-stanza-here"), folder.resolve("work-elsewhere"),
                real.dataDirectory(), real.port(), real.socketDirectory(), real.user(), real.database());
        elsewhere.write(); // a repository without the stanza
        PhysicalBackupService broken = new PhysicalBackupService(cluster.catalog(), cluster.backupTarget(),
                new PgBackRest(ExternalTools.system().program("pgbackrest", "pgbackrest"), elsewhere));

        assertThatThrownBy(() -> broken.run(BackupKind.PHYSICAL_FULL, Optional.empty()))
                .hasMessageContaining("pgbackrest").hasMessageContaining("backup");
        assertThat(text("SELECT status || '|' || (error LIKE '%pgbackrest%')::text FROM backup_log ORDER BY id DESC LIMIT 1"))
                .isEqualTo("failed|true");
    }

    @Test
    void aBrokenArchiveIsMeasuredFailingKeepsItsSegmentsAndRecoversByItselfWhenFixed() throws Exception {
        WalArchiving archiving = new WalArchiving(cluster.catalog(), cluster.backupTarget());
        PgBackRestConfig real = service.pgBackRest().config();
        PgBackRestConfig wrong = new PgBackRestConfig(real.stanza(), folder.resolve("not-the-repository"), real.work(), real.dataDirectory(),
                real.port(), real.socketDirectory(), real.user(), real.database(), real.safetyCapDays(), real.archiveFulls());
        assertThat(archiving.sample().archiving()).isTrue();
        String segment;
        WalArchiveSample broken;
        wrong.write(); // archive-push now finds no stanza: it fails, and PostgreSQL keeps the segment
        try {
            segment = closeASegment();
            broken = await(archiving, sample -> sample.failing() && sample.pendingSegments() > 0);
            assertThat(text("SELECT wal_archiving FROM generate_backup_health_report(1) WHERE kind = 'daily'")).startsWith("failing since");
        } finally {
            real.write();
        }
        assertThat(broken.lastFailedWal()).contains(segment);
        assertThat(broken.oldestPendingAt()).isPresent();
        assertThat(broken.oldestUnarchivedAge().isNegative()).isFalse();

        closeASegment(); // a new segment wakes the archiver, which retries the waiting one first
        WalArchiveSample fixed = await(archiving, sample -> !sample.failing() && sample.pendingSegments() == 0);
        Path fetched = folder.resolve("fetched-" + segment);
        service.pgBackRest().archiveGet(segment, fetched);

        assertThat(fixed.oldestUnarchivedAge()).isZero();
        assertThat(java.nio.file.Files.size(fetched)).as("the segment that waited reached the repository whole").isEqualTo(16L << 20);
        assertThat(archiving.latest()).contains(fixed);
        assertThat(text("SELECT wal_archiving FROM generate_backup_health_report(1) WHERE kind = 'daily'")).startsWith("archiving (0 pending");
    }

    @Test
    void archivingSurvivesARestartAndACrashWithNoSegmentMissing() throws Exception {
        WalArchiving archiving = new WalArchiving(cluster.catalog(), cluster.backupTarget());
        closeASegment();
        server.restart();
        closeASegment();
        // a crash: the postmaster and every process of it killed at once, as a lost machine would
        long pid = Long.parseLong(java.nio.file.Files.readAllLines(server.dataDirectory().resolve("postmaster.pid")).get(0).strip());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        List<ProcessHandle> children = postmaster.descendants().toList();
        postmaster.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        postmaster.onExit().get(1, java.util.concurrent.TimeUnit.MINUTES);
        try {
            server.stop(); // forgets the killed process
        } catch (RuntimeException alreadyGone) {
            // pg_ctl stop finds no server: it is gone
        }
        server.start();
        String last = closeASegment();
        await(archiving, sample -> !sample.failing() && sample.pendingSegments() == 0);

        PgBackRestInfo info = service.pgBackRest().info();
        String first = info.archiveMin().orElseThrow();
        assertThat(info.archiveMax()).hasValueSatisfying(max -> assertThat(max).isGreaterThanOrEqualTo(last));
        int fetched = 0;
        for (String segment = first; segment.compareTo(info.archiveMax().orElseThrow()) <= 0; segment = next(segment)) {
            service.pgBackRest().archiveGet(segment, folder.resolve("get-" + segment)); // throws for a segment the repository lacks
            java.nio.file.Files.delete(folder.resolve("get-" + segment));
            fetched++;
        }
        assertThat(fetched).isGreaterThanOrEqualTo(3);
        assertThat(service.verify()).as("pgbackrest verify after a restart and a crash").isEmpty();
    }

    /** The WAL segment after one, on timeline 1 with 16 MB segments (256 to a log file). */
    private static String next(String segment) {
        long log = Long.parseLong(segment.substring(8, 16), 16);
        long seg = Long.parseLong(segment.substring(16, 24), 16) + 1;
        if (seg > 0xFF) {
            log++;
            seg = 0;
        }
        return segment.substring(0, 8) + String.format("%08X%08X", log, seg);
    }

    /** Writes some WAL and switches to a new segment; returns the segment closed. */
    private static String closeASegment() throws Exception {
        try (java.sql.Connection connection = server.superuserDataSource(database.name()).getConnection();
                java.sql.Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE IF NOT EXISTS wal_writer (n integer); INSERT INTO wal_writer SELECT generate_series(1, 1000)");
            try (java.sql.ResultSet rs = sql.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Samples until one matches (PostgreSQL's archiver works on its own schedule), for at most two minutes. */
    private static WalArchiveSample await(WalArchiving archiving, java.util.function.Predicate<WalArchiveSample> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        WalArchiveSample sample = archiving.sample();
        while (!wanted.test(sample)) {
            assertThat(System.nanoTime()).as("still not there: %s", sample).isLessThan(deadline);
            Thread.sleep(500);
            sample = archiving.sample();
        }
        return sample;
    }

    private static String row(long id) {
        return text("""
                SELECT concat_ws('|', kind, format, status, retention_class, physical_type, label, coalesce(prior_label, '-'),
                                 coalesce(depends_on::text, '-'), wal_start, snapshot_lsn)
                  FROM backup_log WHERE id = """ + id);
    }

    private static String text(String sql) {
        return owner.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }
}
