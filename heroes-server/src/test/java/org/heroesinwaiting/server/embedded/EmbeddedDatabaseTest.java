package org.heroesinwaiting.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.heroesinwaiting.core.HeroesException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's embedded default runs with production settings, keeps its data, and is shared while it runs. */
class EmbeddedDatabaseTest {

    @TempDir
    Path temp;

    @Test
    void runsWithProductionSettingsUnderAFolderOnlyItsOwnerMayEnter() throws Exception {
        Path hidden = Files.createDirectories(temp.resolve("private"));
        Files.setPosixFilePermissions(hidden, PosixFilePermissions.fromString("rwx------"));
        Path dataDir = hidden.resolve("heroes-data");

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            DataSource app = database.dataSource("heroes_app", database.secrets().logins().app());
            assertThat(query(app, "SELECT current_user")).isEqualTo("heroes_app");
            assertThat(query(database.superuser(), "SELECT string_agg(name || '=' || setting, ',' ORDER BY name) FROM pg_settings "
                    + "WHERE name IN ('fsync', 'synchronous_commit', 'wal_level', 'shared_preload_libraries', 'full_page_writes')"))
                    .isEqualTo("fsync=on,full_page_writes=on,shared_preload_libraries=pg_stat_statements,synchronous_commit=on,wal_level=replica");
            assertThat(query(database.superuser(), "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"))
                    .isEqualTo("scram-sha-256");
            assertThat(query(database.superuser(), "SELECT count(*) FROM pg_hba_file_rules "
                    + "WHERE 'replication' = ANY(database) AND 'heroes_backup' = ANY(user_name)")).isEqualTo("3");
            assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), "heroes_app", "guess"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> DriverManager.getConnection(database.jdbcUrl(), "postgres", ""))
                    .isInstanceOf(SQLException.class);
        }
        Path secrets = dataDir.resolve("secrets.properties");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rw-------");
        assertThat(dataDir.resolve(".initdb-password")).doesNotExist();
    }

    @Test
    void dataSurvivesARestartAndTheClusterStopsCleanly() throws Exception {
        Path dataDir = temp.resolve("data");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir)) {
            DataSource owner = database.dataSource("heroes_owner", database.secrets().logins().owner());
            execute(owner, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");
        }
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("removed by a clean shutdown").doesNotExist();

        try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDir)) {
            DataSource owner = again.dataSource("heroes_owner", again.secrets().logins().owner());
            assertThat(query(owner, "SELECT id FROM kept")).isEqualTo("7");
        }
    }

    @Test
    void otherCommandsAttachToTheRunningClusterAndASecondServerIsRefused() throws Exception {
        Path dataDir = temp.resolve("shared");
        try (EmbeddedDatabase serving = EmbeddedDatabase.start(dataDir)) {
            EmbeddedDatabase attached = EmbeddedDatabase.attachOrStart(dataDir);
            assertThat(attached.ownsCluster()).isFalse();
            assertThat(attached.port()).isEqualTo(serving.port());
            attached.close(); // must not stop the server's cluster
            assertThat(query(serving.superuser(), "SELECT 1")).isEqualTo("1");

            assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir))
                    .isInstanceOf(HeroesException.class)
                    .hasMessageContaining("already runs");
        }
        try (EmbeddedDatabase started = EmbeddedDatabase.attachOrStart(dataDir)) {
            assertThat(started.ownsCluster()).as("nothing ran, so it started one").isTrue();
        }
    }

    private static String query(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
