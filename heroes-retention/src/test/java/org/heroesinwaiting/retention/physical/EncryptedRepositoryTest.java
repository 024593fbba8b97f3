package org.heroesinwaiting.retention.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.retention.backup.BackupKeyring;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.retention.recovery.PointInTimeRecovery;
import org.heroesinwaiting.retention.recovery.PointInTimeResult;
import org.heroesinwaiting.retention.recovery.ScratchCluster;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pgBackRest repository encrypted with a passphrase derived from the backup keyring: nothing in
 * it is readable without the passphrase, a wrong one is a clear error, and the right one restores.
 */
class EncryptedRepositoryTest {

    @TempDir
    Path folder;

    @Test
    void anEncryptedRepositoryHoldsNothingReadableAndRestoresWithItsPassphraseOnly() throws Exception {
        BackupKeyring keys = BackupKeyring.of(Map.of("2026-q4", new byte[32]));
        String passphrase = keys.derivedSecret("2026-q4", "pgbackrest-repository").orElseThrow();
        assertThat(keys.derivedSecret("2026-q4", "another purpose")).isNotEqualTo(Optional.of(passphrase));
        assertThat(keys.derivedSecret("2025-q1", "pgbackrest-repository")).isEmpty();

        try (ArchivedCluster cluster = ArchivedCluster.start(folder, 2, Optional.of(passphrase))) {
            PhysicalBackupResult full = cluster.physicalBackups().run(BackupKind.PHYSICAL_FULL, Optional.empty());
            Path repository = cluster.pgBackRest().config().repository();

            try (Stream<Path> files = Files.walk(repository)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertThat(text).as(file.toString()).doesNotContain("[backrest]", "PG_VERSION", "heroes_backup", "pg_control");
                }
            }
            assertThat(Files.readString(cluster.pgBackRest().config().file())).contains("repo1-cipher-type=aes-256-cbc");
            assertThat(cluster.pgBackRest().config().toString()).doesNotContain(passphrase).contains("encrypted=true");

            PgBackRestConfig wrong = new PgBackRestConfig("heroes", repository, folder.resolve("wrong"), cluster.server().dataDirectory(),
                    cluster.server().port(), Path.of("/tmp"), "heroes_backup", cluster.database().name())
                    .withCipherPass("not-the-passphrase-at-all");
            wrong.write();
            PgBackRest withTheWrongPassphrase = new PgBackRest(ExternalTools.system().program("pgbackrest", "pgbackrest"), wrong);
            assertThatThrownBy(withTheWrongPassphrase::info).isInstanceOf(PhysicalBackupException.class)
                    .hasMessageContaining("a wrong repository passphrase does");

            Path into = Files.createDirectory(folder.resolve("copy"));
            cluster.pgBackRest().restoreBackup(into, full.backup().label());
            try (ScratchCluster copy = ScratchCluster.start(ExternalTools.system(), into,
                    new ClusterLogin("localhost", cluster.server().port(), "postgres", ""))) {
                copy.awaitPromoted(Duration.ofMinutes(5));
                try (Connection connection = copy.connect(cluster.database().name()); Statement sql = connection.createStatement();
                        ResultSet rs = sql.executeQuery("SELECT count(*) FROM lessons")) {
                    assertThat(rs.next()).isTrue();
                }
            }
        }
    }

    @Test
    void aNewKeyIsANewRepositoryAndTheOldOneRetiresRestorableUntilNoKeptBackupIsLeftInIt() throws Exception {
        BackupKeyring keys = BackupKeyring.of(Map.of("2026-q4", new byte[32], "2027-q1", filled(7)));
        String oldPass = keys.derivedSecret("2026-q4", "pgbackrest-repository").orElseThrow();
        String newPass = keys.derivedSecret("2027-q1", "pgbackrest-repository").orElseThrow();
        try (ArchivedCluster cluster = ArchivedCluster.start(folder, 2, Optional.of(oldPass))) {
            PhysicalBackupService before = cluster.physicalBackups();
            PhysicalBackupResult first = before.run(BackupKind.PHYSICAL_FULL, Optional.of("weekly-physical-full"));
            PhysicalBackupResult second = before.run(BackupKind.PHYSICAL_FULL, Optional.of("weekly-physical-full"));
            Path old = cluster.pgBackRest().config().repository();
            // a moment under the old key, between two commits
            Jdbi owner = cluster.database().jdbi(DatabaseLogin.OWNER);
            owner.useHandle(handle -> handle.execute("INSERT INTO facilitators (email, password_hash, display_name) VALUES (?, ?, 'B')",
                    "before@school.example", HASH));
            Instant target = owner.withHandle(handle -> handle.createQuery("SELECT clock_timestamp()").mapTo(Instant.class).one());
            owner.useHandle(handle -> handle.execute("INSERT INTO facilitators (email, password_hash, display_name) VALUES (?, ?, 'A')",
                    "after@school.example", HASH));

            // the key rotates: a new repository with the new key's passphrase, the old one retiring behind it
            PgBackRestConfig rotated = new PgBackRestConfig("heroes", folder.resolve("repo-2027-q1"), cluster.pgBackRest().config().work(),
                    cluster.server().dataDirectory(), cluster.server().port(), Path.of("/tmp"), "heroes_backup", cluster.database().name(),
                    PgBackRestConfig.DEFAULT_SAFETY_CAP_DAYS, 2).withCipherPass(newPass)
                    .withRetiring(List.of(new PgBackRestConfig.Retiring(old, Optional.of(oldPass))));
            PgBackRest pgBackRest = PgBackRest.find(ExternalTools.system(), rotated).withPassword(cluster.database().password(DatabaseLogin.BACKUP));
            pgBackRest.stanzaCreate();
            pgBackRest.check(); // a WAL segment reaches both repositories
            PhysicalBackupService after = new PhysicalBackupService(cluster.catalog(), cluster.backupTarget(), pgBackRest);
            PhysicalBackupResult daily = after.run(BackupKind.DAILY, Optional.of("daily"));
            PhysicalBackupResult third = after.run(BackupKind.PHYSICAL_FULL, Optional.of("weekly-physical-full"));

            assertThat(daily.backup().type()).as("the new repository's first daily is a full").isEqualTo("full");
            assertThat(daily.backup().repository()).isEqualTo(1);
            assertThat(Files.readString(rotated.file())).contains("repo1-path=" + folder.resolve("repo-2027-q1"), "repo2-path=" + old,
                    "repo2-cipher-type=aes-256-cbc", "repo2-cipher-pass=").doesNotContain("repo3");
            assertThat(pgBackRest.info().backups()).extracting(b -> b.label() + "@" + b.repository()).containsExactlyInAnyOrder(
                    first.backup().label() + "@2", second.backup().label() + "@2", daily.backup().label() + "@1", third.backup().label() + "@1");
            try (Stream<Path> files = Files.walk(folder.resolve("repo-2027-q1"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                            .doesNotContain("[backrest]", "PG_VERSION");
                }
            }
            assertThat(after.verify()).as("both repositories verified").isEmpty();

            // a backup of the retiring repository still restores
            Path into = Files.createDirectory(folder.resolve("from-the-old-key"));
            pgBackRest.restoreBackup(into, second.backup().label());
            try (ScratchCluster copy = ScratchCluster.start(ExternalTools.system(), into,
                    new ClusterLogin("localhost", cluster.server().port(), "postgres", ""))) {
                copy.awaitPromoted(Duration.ofMinutes(5));
                try (Connection connection = copy.connect(cluster.database().name()); Statement sql = connection.createStatement();
                        ResultSet rs = sql.executeQuery("SELECT count(*) FROM flyway_schema_history")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).as("the migrated database, as the old key's backup holds it").isPositive();
                }
            }

            // and the point-in-time window crosses the rotation: a moment under the old key comes back from its repository
            PointInTimeRecovery recovery = new PointInTimeRecovery(cluster.catalog(), new ClusterLogin("localhost", cluster.server().port(),
                    "postgres", ""), ExternalTools.system(), pgBackRest);
            PointInTimeResult recovered = recovery.recover(target, folder.resolve("before-the-rotation"));
            try (ScratchCluster copy = recovered.cluster(); Connection connection = copy.connect(cluster.database().name());
                    Statement sql = connection.createStatement();
                    ResultSet rs = sql.executeQuery("SELECT string_agg(email, ',' ORDER BY email) FROM facilitators")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("before@school.example");
            }
            // (pgBackRest takes the newest backup that stopped before the moment, to the second: either of the old key's)
            assertThat(recovered.label()).as("restored from the retiring repository").isIn(first.backup().label(), second.backup().label());

            // while the catalog keeps a backup in it, the old repository stays
            assertThat(after.cleanup().released()).isEmpty();
            assertThat(old).isDirectory();

            // then the old key's backups pass their class, and a weekly full of the new repository reaches the window's start
            cluster.age(List.of(first.id()), 200);
            cluster.age(List.of(second.id()), 150);
            cluster.age(List.of(third.id()), 100);
            // a catalog that keeps a backup pgBackRest does not show is a view of the repositories not to delete on
            owner.useHandle(handle -> handle.execute("UPDATE backup_log SET label = '20000101-000000F' WHERE id = ?", third.id()));
            PhysicalCleanupResult refused = after.cleanup();
            assertThat(refused.released()).isEmpty();
            // meanwhile pgBackRest expires what it can there, newest first: the newer full (the older one is then that
            // repository's last, which it refuses to expire)
            assertThat(refused.deleted()).containsExactly(second.id());
            assertThat(refused.failures()).anySatisfy(failure -> assertThat(failure).contains("does not show [20000101-000000F]"));
            assertThat(old).isDirectory();
            owner.useHandle(handle -> handle.execute("UPDATE backup_log SET label = ? WHERE id = ?", third.backup().label(), third.id()));

            PhysicalCleanupResult cleanup = after.cleanup();

            assertThat(cleanup.failures()).isEmpty();
            assertThat(cleanup.released()).containsExactly(old);
            assertThat(cleanup.deleted()).as("its last full goes with the repository").containsExactly(first.id());
            try (Stream<Path> left = Files.list(old)) {
                assertThat(left.map(path -> path.getFileName().toString()).toList()).as("only the release's mark is left")
                        .containsExactly(PgBackRest.RELEASED);
            }
            assertThat(pgBackRest.config().retiring()).isEmpty();
            assertThat(Files.readString(rotated.file())).doesNotContain("repo2-");
            assertThat(pgBackRest.info().backups()).extracting(PhysicalBackup::label)
                    .containsExactlyInAnyOrder(daily.backup().label(), third.backup().label());
            pgBackRest.check(); // archiving goes on, into the one repository left
            assertThat(after.verify()).isEmpty();
        }
    }

    private static final String HASH = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) value);
        return key;
    }
}
