package org.heroesinwaiting.retention.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupBusyException;
import org.heroesinwaiting.retention.backup.BackupFixtures;
import org.heroesinwaiting.retention.backup.BackupFormat;
import org.heroesinwaiting.retention.backup.BackupKeyring;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupResult;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Backups proven by restoring them with the real pg_restore, psql and pg_amcheck into real databases. */
class RestoreServiceTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final String STATE = """
            SELECT string_agg(c.name || ':' || (SELECT count(*) FROM student_sessions s WHERE s.classroom_id = c.id), ',' ORDER BY c.name)
              FROM classrooms c""";

    private static BackupResult backup(TestDatabase database, DataSource app, Path root, BackupFormat format) {
        return BackupFixtures.service(database, app, root).run(BackupRequest.manual(BackupKind.FULL).withFormat(format));
    }

    private static RestoreService restores(TestDatabase database, DataSource app) {
        return new RestoreService(new TransactionRunner(HeroesJdbi.create(app)),
                new ClusterLogin(database.host(), database.port(), "postgres", ""), ExternalTools.system());
    }

    @Test
    void aRestoreIntoANewDatabaseHoldsTheDatabaseAsItWasAtBackupTime(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) throws Exception {
        BackupFixtures.school(owner, 5, 4);
        String before = owner.withHandle(handle -> handle.createQuery(STATE).mapTo(String.class).one());
        BackupResult backup = backup(database, app, root, BackupFormat.CUSTOM);
        owner.useHandle(handle -> handle.createScript("""
                DELETE FROM student_sessions WHERE classroom_id = (SELECT id FROM classrooms WHERE name = 'Room 1');
                UPDATE classrooms SET name = 'Renamed' WHERE name = 'Room 2'""").execute());
        String restored = database.name() + "_restored";

        RestoreResult result = restores(database, app).restore(backup.id(), restored);

        try {
            assertThat(result.database()).isEqualTo(restored);
            assertThat(result.tablesCompared()).isEqualTo(backup.tableRows().size()).isGreaterThan(20);
            Jdbi copy = Jdbi.create(new ClusterLogin(database.host(), database.port(), "postgres", "").jdbcUrl(restored), "postgres", "");
            String copied = copy.withHandle(handle -> handle.createQuery(STATE).mapTo(String.class).one());
            String now = owner.withHandle(handle -> handle.createQuery(STATE).mapTo(String.class).one());
            assertThat(copied).isEqualTo(before).isNotEqualTo(now);
            for (Map.Entry<String, Long> table : backup.tableRows().entrySet()) {
                long rows = copy.withHandle(handle -> handle.createQuery("SELECT count(*) FROM ONLY " + table.getKey()).mapTo(Long.class).one());
                assertThat(rows).as(table.getKey()).isEqualTo(table.getValue());
            }
            Map<String, Object> log = owner.withHandle(handle -> handle.createQuery("""
                    SELECT kind, status, target_database, jsonb_array_length(steps) AS steps, restored_bytes FROM recovery_log""")
                    .mapToMap().one());
            assertThat(log).containsEntry("kind", "full").containsEntry("status", "succeeded").containsEntry("target_database", restored)
                    .containsEntry("steps", 3).containsEntry("restored_bytes", backup.sizeBytes());

            assertThatThrownBy(() -> restores(database, app).restore(backup.id(), restored)).isInstanceOf(InvalidValueException.class)
                    .hasMessageContaining("exists: a restore never writes over a database");
            assertThatThrownBy(() -> restores(database, app).restore(backup.id(), "Robert'); DROP TABLE x;--"))
                    .isInstanceOf(InvalidValueException.class).hasMessageContaining("lower case letters");
        } finally {
            drop(database, restored);
        }
    }

    @Test
    void verificationDrillsARestoreAndAFlippedByteFailsItSayingWhere(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) throws Exception {
        BackupFixtures.school(owner, 5, 4);
        BackupResult custom = backup(database, app, root, BackupFormat.CUSTOM);
        BackupResult plain = backup(database, app, root, BackupFormat.PLAIN_GZIP);

        Verification passed = restores(database, app).verify(custom.id());
        Verification plainPassed = restores(database, app).verify(plain.id());

        assertThat(passed.passed()).as(passed.findings().toString()).isTrue();
        assertThat(passed.tablesCompared()).isEqualTo(custom.tableRows().size());
        assertThat(plainPassed.passed()).as(plainPassed.findings().toString()).isTrue();
        List<String> leftOver = owner.withHandle(handle -> handle.createQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE 'heroes_drill_%'").mapTo(String.class).list());
        assertThat(leftOver).as("the scratch databases are dropped").isEmpty();

        Path file = custom.files().get(0).path();
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
            long middle = bytes.length() / 2;
            bytes.seek(middle);
            int b = bytes.read();
            bytes.seek(middle);
            bytes.write(b ^ 0x01);
        }
        Verification flipped = restores(database, app).verify(custom.id());

        assertThat(flipped.passed()).isFalse();
        assertThat(flipped.findings()).singleElement().asString().contains(file.toString(), "SHA-256 is", "the catalog recorded");
        List<String> verifications = owner.withHandle(handle -> handle.createQuery("""
                SELECT b.id || ' ' || b.verification FROM backup_log b ORDER BY b.id""").mapTo(String.class).list());
        assertThat(verifications).containsExactly(custom.id() + " failed", plain.id() + " passed");
        List<String> drills = owner.withHandle(handle -> handle.createQuery(
                "SELECT status FROM recovery_log WHERE kind = 'drill' ORDER BY id").mapTo(String.class).list());
        assertThat(drills).containsExactly("succeeded", "succeeded", "failed");
        assertThatThrownBy(() -> restores(database, app).verify(123456)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("there is no backup 123456");
    }

    @Test
    void anEncryptedBackupRestoresWithItsKeyAfterRotationAndIsRefusedClearlyWithout(TestDatabase database, @Owner Jdbi owner,
            DataSource app, @TempDir Path root) throws Exception {
        BackupFixtures.school(owner, 3, 2);
        BackupKeyring first = BackupKeyring.of(Map.of("2026-q4", key(4)));
        BackupResult sealed = BackupFixtures.service(database, app, root).withKeys(first).run(BackupRequest.manual(BackupKind.FULL));
        BackupResult sealedPlain = BackupFixtures.service(database, app, root).withKeys(first)
                .run(BackupRequest.manual(BackupKind.ARCHIVE).withFormat(BackupFormat.PLAIN_GZIP));
        Path file = sealed.files().get(0).path();

        assertThat(file.toString()).endsWith(".dump.enc");
        assertThat(sealed.keyId()).contains("2026-q4");
        assertThat(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                .startsWith("HIWBAK1\n").doesNotContain("classrooms");
        assertThat(text(owner, "SELECT string_agg(coalesce(key_id, '-'), ',' ORDER BY id) FROM backup_log")).isEqualTo("2026-q4,2026-q4");

        // keys rotated: a new one encrypts, the old one still opens what it sealed
        Map<String, byte[]> newestFirst = new LinkedHashMap<>();
        newestFirst.put("2027-q1", key(1));
        newestFirst.put("2026-q4", key(4));
        BackupKeyring rotated = BackupKeyring.of(newestFirst);
        Verification withKeys = restores(database, app).withKeys(rotated).verify(sealed.id());
        Verification plainWithKeys = restores(database, app).withKeys(rotated).verify(sealedPlain.id());
        Verification withoutKeys = restores(database, app).verify(sealed.id());
        Verification wrongKey = restores(database, app).withKeys(BackupKeyring.of(Map.of("2026-q4", key(5)))).verify(sealed.id());

        assertThat(withKeys.passed()).as(withKeys.findings().toString()).isTrue();
        assertThat(plainWithKeys.passed()).as(plainWithKeys.findings().toString()).isTrue();
        assertThat(withoutKeys.passed()).isFalse();
        assertThat(withoutKeys.findings()).singleElement().asString().contains("encrypted with the key 2026-q4", "HEROES_BACKUP_KEYS");
        assertThat(wrongKey.passed()).isFalse();
        assertThat(wrongKey.findings()).singleElement().asString().contains("chunk 0", "a wrong key, or the file changed there");
        String restored = database.name() + "_sealed";
        try {
            assertThat(restores(database, app).withKeys(rotated).restore(sealed.id(), restored).tablesCompared())
                    .isEqualTo(sealed.tableRows().size());
        } finally {
            drop(database, restored);
        }
    }

    @Test
    void anEncryptedBackupLargerThanAPipeVerifiesThoughPgRestoreListStopsReadingEarly(TestDatabase database, @Owner Jdbi owner,
            DataSource app, @TempDir Path root) {
        // pg_restore --list reads the table of contents and exits: the rest of a large file meets a closed pipe
        owner.useHandle(handle -> handle.execute("CREATE TABLE ballast AS SELECT n, md5(n::text) || md5((n + 1)::text) AS filler"
                + " FROM generate_series(1, 200000) AS n"));
        BackupKeyring keys = BackupKeyring.of(Map.of("2026-q4", key(4)));
        BackupResult sealed = BackupFixtures.service(database, app, root).withKeys(keys).run(BackupRequest.manual(BackupKind.FULL));

        Verification verification = restores(database, app).withKeys(keys).verify(sealed.id());

        assertThat(sealed.files().get(0).sizeBytes()).isGreaterThan(1L << 20);
        assertThat(verification.passed()).as(verification.findings().toString()).isTrue();
        assertThat(sealed.tableRows()).containsEntry("public.ballast", 200000L);
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        new java.util.Random(seed).nextBytes(key);
        return key;
    }

    @Test
    void aTableRestoreBringsBackDeletedFeedbackAndTouchesNoOtherTableInBothModes(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) {
        BackupFixtures.school(owner, 3, 4);
        BackupFixtures.teaching(owner);
        String feedbackAtBackup = owner.withHandle(handle -> handle.createQuery(FEEDBACK).mapTo(String.class).one());
        BackupResult backup = backup(database, app, root, BackupFormat.CUSTOM);
        // after the backup: two feedback rows deleted, one changed, one added; a lesson taught renamed nothing but moved on
        owner.useHandle(handle -> handle.createScript("""
                DELETE FROM student_feedback WHERE id IN (SELECT id FROM student_feedback ORDER BY id LIMIT 2);
                UPDATE student_feedback SET rating = 1 WHERE id = (SELECT max(id::text)::uuid FROM student_feedback);
                UPDATE classroom_sessions SET ended_at = now()""").execute());
        String othersAfter = owner.withHandle(handle -> handle.createQuery(OTHERS).mapTo(String.class).one());

        TableRestoreResult added = restores(database, app).restoreTables(backup.id(), List.of("student_feedback"), TableRestoreMode.ADD_MISSING);

        assertThat(added.inserted()).containsEntry("student_feedback", 2L);
        assertThat(count(owner, "SELECT count(*) FROM student_feedback WHERE rating = 1")).as("add-missing leaves a changed row").isEqualTo(1);
        assertThat(text(owner, OTHERS)).isEqualTo(othersAfter);

        owner.useHandle(handle -> handle.execute("""
                INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, classroom_session_id, rating, mood, answers, idempotency_key)
                SELECT student_session_id, classroom_id, lesson_id, classroom_session_id, 2, 'sad', '{"q1": "never"}', 'f-2'
                  FROM student_feedback LIMIT 1"""));
        TableRestoreResult replaced = restores(database, app).restoreTables(backup.id(), List.of("student_feedback"), TableRestoreMode.REPLACE);

        assertThat(replaced.inserted()).containsEntry("student_feedback", 0L);
        assertThat(replaced.updated()).containsEntry("student_feedback", 1L);
        assertThat(replaced.deleted()).containsEntry("student_feedback", 1L);
        assertThat(text(owner, FEEDBACK)).isEqualTo(feedbackAtBackup);
        assertThat(text(owner, OTHERS)).isEqualTo(othersAfter);
        List<String> audited = owner.withHandle(handle -> handle.createQuery("""
                SELECT operation || ' ' || (new_values ->> 'restored_rows') || ' ' || (new_values ->> 'mode') FROM audit_log
                 WHERE table_name = 'student_feedback' AND request_id LIKE 'recovery-%' ORDER BY id""").mapTo(String.class).list());
        assertThat(audited).containsExactlyInAnyOrder("INSERT 2 add-missing", "UPDATE 1 replace", "DELETE 1 replace");
        assertThat(count(owner, "SELECT count(*) FROM pg_database WHERE datname LIKE 'heroes_tables_%'")).as("scratch dropped").isZero();
    }

    @Test
    void aTableRestoreThatWouldReachAnotherTableIsUndoneAndSaysWhich(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) {
        BackupFixtures.school(owner, 2, 2);
        BackupFixtures.teaching(owner);
        BackupResult backup = backup(database, app, root, BackupFormat.CUSTOM);
        // a lesson taught after the backup, with feedback naming it: replacing classroom_sessions would null that feedback's link
        owner.useHandle(handle -> handle.createScript("""
                UPDATE classroom_sessions SET ended_at = now();
                INSERT INTO classroom_sessions (classroom_id, lesson_id) SELECT c.id, l.id FROM classrooms c, lessons l ORDER BY c.name LIMIT 1;
                UPDATE student_feedback f SET classroom_session_id = (SELECT cs.id FROM classroom_sessions cs
                                                                        WHERE cs.classroom_id = f.classroom_id ORDER BY cs.started_at DESC LIMIT 1)""")
                .execute());
        String before = text(owner, FEEDBACK) + "/" + text(owner, "SELECT count(*)::text FROM classroom_sessions");

        assertThatThrownBy(() -> restores(database, app).restoreTables(backup.id(), List.of("classroom_sessions"), TableRestoreMode.REPLACE))
                .isInstanceOf(RestoreFailedException.class).hasMessageContaining("would also change student_feedback")
                .hasMessageContaining("the live database is as it was");

        assertThat(text(owner, FEEDBACK) + "/" + text(owner, "SELECT count(*)::text FROM classroom_sessions")).isEqualTo(before);
        assertThat(text(owner, "SELECT status FROM recovery_log")).isEqualTo("failed");
        assertThatThrownBy(() -> restores(database, app).restoreTables(backup.id(), List.of("students"), TableRestoreMode.REPLACE))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("holds no table public.students");
    }

    @Test
    void aVerificationRunsOffTheCallersThreadOneAtATimeAndClearsWhatADeadDrillLeft(TestDatabase database, @Owner Jdbi owner, DataSource app,
            @TempDir Path root) throws Exception {
        BackupFixtures.school(owner, 2, 2);
        BackupResult backup = backup(database, app, root, BackupFormat.CUSTOM);
        RestoreService restores = restores(database, app);
        ClusterLogin superuser = new ClusterLogin(database.host(), database.port(), "postgres", "");
        // what a server killed mid-drill leaves: the drill's row held by its session, and its scratch database
        String leftover = "heroes_drill_" + backup.id() + "_deadbeef";
        Connection dying = DriverManager.getConnection(superuser.jdbcUrl(database.name()), "postgres", "");
        long dead;
        try (Statement sql = dying.createStatement();
                ResultSet rs = sql.executeQuery("SELECT app.recovery_start('drill', " + backup.id() + ", '" + leftover + "', NULL, NULL, true)")) {
            rs.next();
            dead = rs.getLong(1);
        }
        try (Connection cluster = DriverManager.getConnection(superuser.jdbcUrl("postgres"), "postgres", "");
                Statement sql = cluster.createStatement()) {
            sql.execute("CREATE DATABASE " + leftover);
        }
        Queue<Runnable> queued = new ArrayDeque<>();

        assertThatThrownBy(() -> restores.startVerification(backup.id(), queued::add))
                .isInstanceOfSatisfying(BackupBusyException.class, busy -> assertThat(busy.runningId()).isEqualTo(dead))
                .hasMessageContaining("a verification (recovery " + dead + ") is running");
        dying.close(); // the process is gone, and its session with it
        for (int i = 0; i < 500 && owner.withHandle(handle -> handle.createQuery("SELECT app.held(48480017, :id)").bind("id", dead)
                .mapTo(Boolean.class).one()); i++) {
            Thread.sleep(10);
        }

        StartedVerification started = restores.startVerification(backup.id(), queued::add);
        assertThat(text(owner, "SELECT status FROM recovery_log WHERE id = " + started.recoveryId())).isEqualTo("running");
        assertThatThrownBy(() -> restores.startVerification(backup.id(), queued::add))
                .isInstanceOfSatisfying(BackupBusyException.class, busy -> assertThat(busy.runningId()).isEqualTo(started.recoveryId()));
        assertThat(started.result()).isNotDone();
        while (!queued.isEmpty()) {
            queued.remove().run();
        }

        Verification verification = started.result().get(120, TimeUnit.SECONDS);
        assertThat(verification.passed()).as(String.join("; ", verification.findings())).isTrue();
        assertThat(verification.recoveryId()).isEqualTo(started.recoveryId());
        assertThat(text(owner, "SELECT status || ': ' || error FROM recovery_log WHERE id = " + dead))
                .startsWith("failed: abandoned: the session running it (pid ").contains(leftover);
        assertThat(count(owner, "SELECT count(*) FROM pg_database WHERE datname LIKE 'heroes\\_drill\\_%'"))
                .as("the dead drill's scratch database is dropped, and this one's").isZero();
        assertThat(text(owner, "SELECT verification FROM backup_log WHERE id = " + backup.id())).isEqualTo("passed");
    }

    @Test
    void aLoginThatIsNoSuperuserIsRefusedClearlyAndRecordsNothing(TestDatabase database, @Owner Jdbi owner, DataSource app, @TempDir Path root) {
        BackupResult backup = backup(database, app, root, BackupFormat.CUSTOM);
        RestoreService notSuper = new RestoreService(new TransactionRunner(HeroesJdbi.create(app)), new ClusterLogin(database.host(),
                database.port(), DatabaseLogin.OWNER.roleName(), database.password(DatabaseLogin.OWNER)), ExternalTools.system());

        assertThatThrownBy(() -> notSuper.verify(backup.id())).isInstanceOf(RestoreFailedException.class)
                .hasMessageContaining(DatabaseLogin.OWNER.roleName() + " is not a superuser of the cluster").hasMessageContaining("HEROES_SUPERUSER");
        assertThatThrownBy(() -> notSuper.restore(backup.id(), database.name() + "_never")).isInstanceOf(RestoreFailedException.class)
                .hasMessageContaining("is not a superuser");
        assertThat(count(owner, "SELECT count(*) FROM recovery_log")).isZero();
    }

    private static final String FEEDBACK = """
            SELECT coalesce(string_agg(id || ':' || rating || ':' || coalesce(classroom_session_id::text, '-'), ',' ORDER BY id), '')
              FROM student_feedback""";

    private static final String OTHERS = """
            SELECT (SELECT string_agg(id || ':' || coalesce(ended_at::text, '-'), ',' ORDER BY id) FROM classroom_sessions)
                   || (SELECT count(*) FROM student_sessions)::text || (SELECT count(*) FROM classrooms)::text""";

    private static String text(Jdbi owner, String sql) {
        return owner.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }

    private static long count(Jdbi owner, String sql) {
        return owner.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private static void drop(TestDatabase database, String name) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                new ClusterLogin(database.host(), database.port(), "postgres", "").jdbcUrl("postgres"), "postgres", "");
                Statement sql = connection.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
        }
    }
}
