package org.heroesinwaiting.retention.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup is held by the session that makes it: one whose process dies is marked failed, its
 * hidden file deleted; a backup started alone waits for none and is refused while another runs.
 */
class BackupHoldersTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    /** An executor that runs nothing until asked: the started backup stays running as long as the test needs. */
    private static final class Held implements Executor {
        private final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove().run();
            }
        }
    }

    @Test
    void aBackupStartedAloneIsRefusedWhileAnotherRunsAndRunsOffTheCallersThread(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) throws Exception {
        BackupFixtures.school(owner, 3, 2);
        BackupService service = BackupFixtures.service(database, app, root);
        Held executor = new Held();

        StartedBackup started = service.start(BackupRequest.manual(BackupKind.FULL), executor);

        Map<String, Object> row = owner.withHandle(handle -> handle.createQuery(
                "SELECT status, holder_pid IS NOT NULL AS held, app.held(48480016, id) AS locked FROM backup_log WHERE id = :id")
                .bind("id", started.id()).mapToMap().one());
        assertThat(row).containsEntry("status", "running").containsEntry("held", true).containsEntry("locked", true);
        assertThat(started.result()).isNotDone();
        assertThatThrownBy(() -> service.start(BackupRequest.manual(BackupKind.ARCHIVE), executor))
                .isInstanceOfSatisfying(BackupBusyException.class, busy -> assertThat(busy.runningId()).isEqualTo(started.id()))
                .hasMessageContaining("backup " + started.id() + " is running");
        assertThat(count(owner, "SELECT count(*) FROM backup_log")).as("a refused start records nothing").isEqualTo(1);

        executor.runAll();

        BackupResult made = started.result().get(60, TimeUnit.SECONDS);
        assertThat(made.id()).isEqualTo(started.id());
        assertThat(made.tableRows()).containsEntry("public.classrooms", 3L);
        awaitSessionGone(owner, started.id()); // the session ends as the server notices it
        Map<String, Object> done = owner.withHandle(handle -> handle.createQuery(
                "SELECT status, app.held(48480016, id) AS locked FROM backup_log WHERE id = :id").bind("id", started.id()).mapToMap().one());
        assertThat(done).as("the hold ends with the backup").containsEntry("status", "succeeded").containsEntry("locked", false);
        StartedBackup next = service.start(BackupRequest.manual(BackupKind.ARCHIVE), executor);
        executor.runAll();
        assertThat(next.result().get(60, TimeUnit.SECONDS).kind()).isEqualTo(BackupKind.ARCHIVE);
    }

    @Test
    void aBackupWhoseProcessDiedIsMarkedFailedAndItsHiddenFileDeleted(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) throws Exception {
        BackupService service = BackupFixtures.service(database, app, root);
        // what a server killed mid-dump leaves: a row held by its session, and the hidden file it was writing
        Connection dying = DriverManager.getConnection(database.jdbcUrl(), DatabaseLogin.BACKUP.roleName(), database.password(DatabaseLogin.BACKUP));
        long abandoned;
        try (PreparedStatement start = dying.prepareStatement("SELECT app.backup_start('full', 'custom', NULL, true)");
                ResultSet rs = start.executeQuery()) {
            rs.next();
            abandoned = rs.getLong(1);
        }
        Path partial = Files.createDirectories(root.resolve("full")).resolve("." + database.name() + "_2026_12_06_01_00_00_" + abandoned + ".dump.partial");
        Files.writeString(partial, "half a dump");
        // a script's backup, begun without a holder: only its script finishes it
        long scripted = owner.withHandle(handle -> handle.createQuery("SELECT app.backup_begin('archive', 'custom')").mapTo(Long.class).one());
        assertThat(reaped(owner)).as("a live holder is left alone").isZero();
        assertThat(service.cleanup().filesDeleted()).as("the file of a running backup stays").isEmpty();
        assertThat(partial).exists();
        assertThatThrownBy(() -> service.start(BackupRequest.manual(BackupKind.FULL), Runnable::run)).isInstanceOf(BackupBusyException.class);

        dying.close(); // the process is gone, and its session with it
        awaitSessionGone(owner, abandoned);

        StartedBackup next = service.start(BackupRequest.manual(BackupKind.FULL), Runnable::run);
        assertThat(next.result().get(60, TimeUnit.SECONDS).id()).isEqualTo(next.id());
        Map<String, Object> row = owner.withHandle(handle -> handle.createQuery("SELECT status, error FROM backup_log WHERE id = :id")
                .bind("id", abandoned).mapToMap().one());
        assertThat(row).containsEntry("status", "failed");
        assertThat((String) row.get("error")).startsWith("abandoned: the session making it (pid ").contains("ended before it finished");
        String script = owner.withHandle(handle -> handle.createQuery("SELECT status FROM backup_log WHERE id = :id").bind("id", scripted)
                .mapTo(String.class).one());
        assertThat(script).isEqualTo("running");

        CleanupResult cleaned = service.cleanup();
        assertThat(cleaned.filesDeleted()).containsExactly(partial);
        assertThat(partial).doesNotExist();
        assertThat(next.result().get().files().get(0).path()).exists();
    }

    @Test
    void aStartItsExecutorRefusesIsRecordedFailedAndHoldsNothing(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) throws Exception {
        BackupService service = BackupFixtures.service(database, app, root);

        assertThatThrownBy(() -> service.start(BackupRequest.manual(BackupKind.FULL), task -> {
            throw new java.util.concurrent.RejectedExecutionException("stopping");
        })).isInstanceOf(BackupFailedException.class).hasMessageContaining("refused by its executor");

        awaitSessionGone(owner, count(owner, "SELECT max(id) FROM backup_log")); // the session ends as the server notices it
        Map<String, Object> row = owner.withHandle(handle -> handle.createQuery(
                "SELECT status, error, app.held(48480016, id) AS locked FROM backup_log").mapToMap().one());
        assertThat(row).containsEntry("status", "failed").containsEntry("locked", false);
        assertThat((String) row.get("error")).contains("refused by its executor");
    }

    /** The server notices a closed session at once; this waits for its lock to be gone (a few milliseconds). */
    private static void awaitSessionGone(Jdbi owner, long backup) throws InterruptedException {
        for (int i = 0; i < 500 && owner.withHandle(handle -> handle.createQuery("SELECT app.held(48480016, :id)").bind("id", backup)
                .mapTo(Boolean.class).one()); i++) {
            Thread.sleep(10);
        }
    }

    private static long reaped(Jdbi owner) {
        return count(owner, "SELECT count(*) FROM app.backups_reap()");
    }

    private static long count(Jdbi owner, String sql) {
        return owner.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }
}
