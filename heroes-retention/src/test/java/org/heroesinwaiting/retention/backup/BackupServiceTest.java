package org.heroesinwaiting.retention.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.sql.DataSource;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backups made by the real pg_dump from a real PostgreSQL, recorded in the catalog. */
class BackupServiceTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void aFullBackupIsPgDumpsOwnFileWithItsChecksumAndTheRowsOfItsSnapshot(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path temp) throws Exception {
        BackupFixtures.school(owner, 7, 3);
        Path root = temp.resolve("backups");

        BackupResult backup = BackupFixtures.service(database, app, root).run(BackupRequest.manual(BackupKind.FULL));

        BackupFile file = backup.files().get(0);
        assertThat(file.path()).hasParent(root.toAbsolutePath().resolve("full")).exists();
        assertThat(file.path().getFileName().toString()).startsWith(database.name() + "_").endsWith("_" + backup.id() + ".dump");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("full")))).isEqualTo("rwx------");
        assertThat(file.sizeBytes()).isEqualTo(Files.size(file.path()));
        assertThat(file.sha256()).isEqualTo(sha256(file.path()));
        try (Stream<Path> left = Files.list(root.resolve("full"))) {
            assertThat(left).containsExactly(file.path());
        }

        assertThat(backup.tableRows()).containsEntry("public.classrooms", 7L).containsEntry("public.student_sessions", 21L)
                .containsEntry("public.facilitators", 1L).containsKey("public.flyway_schema_history");
        Map<String, Object> row = owner.withHandle(handle -> handle.createQuery("""
                SELECT b.status, b.retention_class, b.snapshot_lsn IS NOT NULL AS lsn, (b.table_rows ->> 'public.classrooms')::int AS classrooms,
                       f.path, f.size_bytes, f.sha256
                  FROM backup_log b JOIN backup_files f ON f.backup_id = b.id WHERE b.id = :id""").bind("id", backup.id()).mapToMap().one());
        assertThat(row).containsEntry("status", "succeeded").containsEntry("retention_class", "manual").containsEntry("lsn", true)
                .containsEntry("classrooms", 7).containsEntry("path", file.path().toString()).containsEntry("size_bytes", file.sizeBytes())
                .containsEntry("sha256", file.sha256());

        BackupCatalog catalog = new BackupCatalog(new TransactionRunner(HeroesJdbi.create(app)));
        BackupRecord recorded = catalog.find(backup.id()).orElseThrow();
        assertThat(recorded.files()).containsExactly(file);
        assertThat(recorded.tableRows()).isEqualTo(backup.tableRows());
        assertThat(recorded.status()).isEqualTo("succeeded");
        int serverMajor = owner.withHandle(handle -> handle.createQuery("SELECT current_setting('server_version_num')::int / 10000")
                .mapTo(Integer.class).one());
        assertThat(recorded.serverMajor()).as("what restores need pg_restore to be at least").hasValue(serverMajor);
        assertThat(recorded.snapshotAt()).contains(backup.snapshotAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(catalog.latest(5)).extracting(BackupRecord::id).containsExactly(backup.id());
        assertThat(catalog.find(backup.id() + 1)).isEmpty();

        // pg_restore reads it: every table's data is there
        Process list = new ProcessBuilder(ExternalTools.system().postgres("pg_restore").toString(), "--list", file.path().toString())
                .redirectErrorStream(true).start();
        String contents = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor()).as(contents).isZero();
        assertThat(contents).contains("TABLE DATA public classrooms", "TABLE DATA public student_sessions", "TABLE DATA public audit_log_default");
    }

    @Test
    void theCleanupDeletesTheFilesOfWhatIsPastItsPeriodAndMarksThemDeleted(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) {
        BackupService service = BackupFixtures.service(database, app, root);
        BackupResult old = service.run(BackupRequest.manual(BackupKind.FULL).bySchedule("weekly-full"));
        BackupResult recent = service.run(BackupRequest.manual(BackupKind.FULL).bySchedule("weekly-full"));
        // the first was made three years and a day ago, as far as its class is concerned
        owner.useHandle(handle -> handle.execute("UPDATE backup_log SET expires_at = now() - interval '1 day' WHERE id = ?", old.id()));

        CleanupResult cleaned = service.cleanup();

        assertThat(cleaned.deleted()).containsExactly(old.id());
        assertThat(cleaned.filesDeleted()).containsExactly(old.files().get(0).path());
        assertThat(cleaned.failures()).isEmpty();
        assertThat(old.files().get(0).path()).doesNotExist();
        assertThat(recent.files().get(0).path()).exists();
        List<String> statuses = owner.withHandle(handle -> handle.createQuery("SELECT status FROM backup_log ORDER BY id").mapTo(String.class).list());
        assertThat(statuses).containsExactly("deleted", "succeeded");
        assertThat(service.cleanup().deleted()).as("nothing is left to delete").isEmpty();
    }

    @Test
    void theGuidesPlainFormIsGzippedSql(TestDatabase database, @Owner Jdbi owner, DataSource app, @TempDir Path root) throws Exception {
        BackupFixtures.school(owner, 7, 3);

        BackupResult backup = BackupFixtures.service(database, app, root)
                .run(BackupRequest.manual(BackupKind.ARCHIVE).withFormat(BackupFormat.PLAIN_GZIP).bySchedule("monthly-archive"));

        Path file = backup.files().get(0).path();
        assertThat(file).hasParent(root.toAbsolutePath().resolve("archive"));
        assertThat(file.toString()).endsWith(".sql.gz");
        assertThat(backup.files().get(0).sha256()).isEqualTo(sha256(file));
        String sql;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(sql).contains("CREATE TABLE public.classrooms", "COPY public.classrooms");
        String kept = owner.withHandle(handle -> handle.createQuery("""
                SELECT retention_class || ' ' || (expires_at = started_at + interval '6 years') FROM backup_log WHERE id = :id""")
                .bind("id", backup.id()).mapTo(String.class).one());
        assertThat(kept).isEqualTo("archive true");
    }

    @Test
    void aKilledPgDumpLeavesAFailedRowAndNoFile(TestDatabase database, @Owner Jdbi owner, DataSource app, @TempDir Path root)
            throws Exception {
        BackupFixtures.slowToDump(owner);
        BackupService service = BackupFixtures.service(database, app, root);

        CompletableFuture<BackupResult> running = CompletableFuture.supplyAsync(() -> service.run(BackupRequest.manual(BackupKind.FULL)));
        // killed once its first bytes reached the disk, long before its last
        ProcessHandle pgDump = null;
        for (int i = 0; i < 6000 && pgDump == null && !running.isDone(); i++) {
            if (BackupFixtures.writing(root.resolve("full"))) {
                pgDump = ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("pg_dump")).findFirst()
                        .orElse(null);
            }
            if (pgDump == null) {
                Thread.sleep(5);
            }
        }
        assertThat(pgDump).as("pg_dump was seen writing").isNotNull();
        pgDump.destroyForcibly();

        assertThatThrownBy(() -> running.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(BackupFailedException.class)
                .hasMessageContaining("pg_dump exited with status");
        Map<String, Object> row = owner.withHandle(handle -> handle.createQuery("SELECT status, error FROM backup_log").mapToMap().one());
        assertThat(row).containsEntry("status", "failed");
        assertThat((String) row.get("error")).contains("pg_dump exited with status");
        try (Stream<Path> left = Files.list(root.resolve("full"))) {
            assertThat(left).as("no file, not even a temporary one").isEmpty();
        }
        assertThat(count(owner, "SELECT count(*) FROM backup_files")).isZero();
    }

    @Test
    void aFullDiskIsAClearFailureAndLeavesNoFile(TestDatabase database, @Owner Jdbi owner, DataSource app, @TempDir Path temp)
            throws Exception {
        // a real full disk: a 64 KiB tmpfs, which mounting needs root for (CI runs as root)
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO audit_log (table_name, operation, row_key, changed_columns, new_values, actor_role, database_role, transaction_id)
                SELECT 'classrooms', 'INSERT', jsonb_build_object('id', n), '{name}', jsonb_build_object('name', md5(n::text)), 'system', 'x', n
                  FROM generate_series(1, 20000) n"""));
        Path small = Files.createDirectory(temp.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        assertThat(mount.waitFor()).as(new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        try {
            BackupService service = BackupFixtures.service(database, app, small);

            assertThatThrownBy(() -> service.run(BackupRequest.manual(BackupKind.FULL))).isInstanceOf(BackupFailedException.class)
                    .hasMessageContaining("the disk holding the backup is full (No space left on device)");

            Map<String, Object> row = owner.withHandle(handle -> handle.createQuery("SELECT status, error FROM backup_log").mapToMap().one());
            assertThat(row).containsEntry("status", "failed").containsEntry("error", "the disk holding the backup is full (No space left on device)");
            try (Stream<Path> left = Files.list(small.resolve("full"))) {
                assertThat(left).as("not even a truncated file").isEmpty();
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }

    @Test
    void anUnknownLoginFailsClearlyAndAFolderOthersMayWriteToIsRefused(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path temp) throws IOException {
        Path root = temp.resolve("backups");
        BackupService stranger = new BackupService(new TransactionRunner(HeroesJdbi.create(app)),
                BackupTarget.of(database.jdbcUrl(), "heroes_nobody", "x"), root, ExternalTools.system(), Clock.systemUTC());
        assertThatThrownBy(() -> stranger.run(BackupRequest.manual(BackupKind.FULL)))
                .isInstanceOf(BackupFailedException.class).hasMessageContaining("heroes_nobody");
        List<String> statuses = owner.withHandle(handle -> handle.createQuery("SELECT status FROM backup_log").mapTo(String.class).list());
        assertThat(statuses).containsExactly("failed");

        Path shared = Files.createDirectory(temp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> BackupFixtures.service(database, app, shared).run(BackupRequest.manual(BackupKind.FULL)))
                .isInstanceOf(BackupRootException.class).hasMessageContaining("can be written by others").hasMessageContaining("chmod 700");
        assertThat(count(owner, "SELECT count(*) FROM backup_log")).as("a refused root records nothing").isEqualTo(1);
        assertThatThrownBy(() -> BackupFixtures.service(database, app, root)
                .run(BackupRequest.manual(BackupKind.FULL).bySchedule("nightly")))
                .hasMessageContaining("no full schedule named nightly");
        assertThat(List.of(BackupKind.values())).extracting(BackupKind::wireName).containsExactly("full", "archive", "physical-full", "daily");
        assertThatThrownBy(() -> BackupFixtures.service(database, app, root).run(BackupRequest.manual(BackupKind.DAILY)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("pgBackRest makes the physical-full and daily kinds");
        assertThatThrownBy(() -> BackupFixtures.service(database, app, root)
                .run(BackupRequest.manual(BackupKind.FULL).withFormat(BackupFormat.PGBACKREST)))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("is not logical");
        assertThat(count(owner, "SELECT count(*) FROM backup_log")).as("a physical request records nothing").isEqualTo(1);

        // a daily row (physical, pgBackRest's) is read like any other
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO backup_log (kind, format, database_name, finished_at, status, retention_class, label, physical_type,
                                        wal_start, wal_stop, lsn_start, snapshot_lsn, snapshot_at)
                VALUES ('daily', 'pgbackrest', current_database(), now(), 'succeeded', 'daily', '20261204-010000F_20261205-030000D', 'diff',
                        '000000010000000000000004', '000000010000000000000004', '0/4000028', '0/4000100', now())"""));
        List<BackupRecord> latest = new BackupCatalog(new TransactionRunner(HeroesJdbi.create(app))).latest(10);
        assertThat(latest).extracting(BackupRecord::kind).containsExactly(BackupKind.DAILY, BackupKind.FULL);
    }


    private static long count(Jdbi owner, String sql) {
        return owner.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
