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
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.retention.backup.BackupKeyring;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.retention.recovery.ScratchCluster;
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
}
