package org.heroesinwaiting.retention.physical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.core.tools.ToolNotFoundException;
import org.heroesinwaiting.testkit.DedicatedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real pgBackRest on a real cluster of its own (archive_mode on, WAL pushed through it): one
 * stanza for the class, its full and incremental backups, what info and verify say.
 */
class PgBackRestTest {

    @TempDir
    static Path folder;

    private static DedicatedServer server;
    private static PgBackRest pgBackRest;

    @BeforeAll
    static void start() throws Exception {
        PgBackRestConfig config = new PgBackRestConfig("heroes", folder.resolve("repo"), folder.resolve("work"), Path.of("/"), 5432,
                Path.of("/tmp"), "postgres", "postgres");
        // the data directory and port are the server's, known once it runs; the archive command only needs the file's path
        PgBackRest command = PgBackRest.find(ExternalTools.system(), config);
        server = DedicatedServer.start(Map.of("archive_mode", "on", "wal_level", "replica", "archive_timeout", "60",
                "archive_command", "'" + command.archiveCommand() + "'"));
        pgBackRest = PgBackRest.find(ExternalTools.system(), new PgBackRestConfig("heroes", config.repository(), config.work(),
                server.dataDirectory(), server.port(), Path.of("/tmp"), "postgres", "postgres"));
        pgBackRest.stanzaCreate();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aFullAndAnIncrementalBackupAreTakenArchivedAndReadBack() throws Exception {
        pgBackRest.check();
        String full = pgBackRest.backup("full", Map.of("class", "weekly"));
        execute(server.superuserDataSource("postgres"), "CREATE TABLE IF NOT EXISTS rows_after_full AS SELECT generate_series(1, 50000) n");
        String incr = pgBackRest.backup("incr", Map.of("class", "daily"));

        PgBackRestInfo info = pgBackRest.info();
        assertThat(info.status()).as(info.message()).isZero();
        assertThat(info.backups()).extracting(PhysicalBackup::label).containsSubsequence(full, incr);
        PhysicalBackup first = info.backups().stream().filter(b -> b.label().equals(full)).findFirst().orElseThrow();
        PhysicalBackup second = info.backups().stream().filter(b -> b.label().equals(incr)).findFirst().orElseThrow();
        assertThat(first.type()).isEqualTo("full");
        assertThat(first.prior()).isEmpty();
        assertThat(first.annotations()).containsEntry("class", "weekly");
        assertThat(second.type()).isEqualTo("incr");
        assertThat(second.prior()).contains(full);
        assertThat(second.annotations()).containsEntry("class", "daily");
        assertThat(second.lsnStart().compareTo(first.lsnStop())).isPositive();
        assertThat(second.walStart()).isGreaterThanOrEqualTo(first.walStop());
        assertThat(second.sizeBytes()).isGreaterThan(first.sizeBytes());
        assertThat(second.repositoryBytes()).isPositive().isLessThan(second.sizeBytes());
        assertThat(info.archiveMax()).hasValueSatisfying(max -> assertThat(max).isGreaterThanOrEqualTo(second.walStop()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pgBackRest.config().file()))).isEqualTo("rw-------");
        assertThat(pgBackRest.verify()).as("a whole repository").isEmpty();
    }

    @Test
    void verifyReportsACorruptWalSegmentThoughPgBackRestExitsZero() throws Exception {
        pgBackRest.check(); // at least one segment archived
        Path segment;
        try (Stream<Path> files = Files.walk(pgBackRest.config().repository().resolve("archive"))) {
            segment = files.filter(file -> file.getFileName().toString().matches("[0-9A-F]{24}-[0-9a-f]{40}.*")).sorted().findFirst()
                    .orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(segment);
        try {
            byte[] broken = bytes.clone();
            broken[broken.length / 2] ^= 0x5A;
            Files.write(segment, broken);

            List<String> findings = pgBackRest.verify();

            assertThat(findings).as("the corrupt segment is named").anySatisfy(line -> assertThat(line).contains("invalid"));
        } finally {
            Files.write(segment, bytes); // whole again for the other tests of the stanza
        }
        assertThat(pgBackRest.verify()).isEmpty();
    }

    @Test
    void withoutPgBackRestTheErrorNamesThePackage() {
        ExternalTools nowhere = ExternalTools.of(Map.of("PATH", folder.toString()), folder.resolve("none"));
        assertThatThrownBy(() -> PgBackRest.find(nowhere, pgBackRest.config())).isInstanceOf(ToolNotFoundException.class)
                .hasMessageContaining("pgbackrest");
    }

    @Test
    void aFailureCarriesPgBackRestsOwnError() {
        PgBackRest wrongStanza = new PgBackRest(Path.of(ExternalTools.system().program("pgbackrest", "pgbackrest").toString()),
                new PgBackRestConfig("nosuch", pgBackRest.config().repository(), pgBackRest.config().work(), server.dataDirectory(),
                        server.port(), Path.of("/tmp"), "postgres", "postgres"));
        assertThatThrownBy(wrongStanza::check).isInstanceOf(PhysicalBackupException.class).hasMessageContaining("pgbackrest check failed")
                .hasMessageContaining("ERROR");
        assertThatThrownBy(() -> pgBackRest.backup("weekly", Map.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static void execute(DataSource dataSource, String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
