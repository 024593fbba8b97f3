package org.heroesinwaiting.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DedicatedServerTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create()
            .withDedicatedServer(Map.of("work_mem", "7MB", "wal_level", "replica"));

    @Test
    void theServerRunsWithTheTestsSettingsAndTheDefaults(DedicatedServer server, DataSource app) throws SQLException {
        assertThat(TestSql.single(app, "SHOW work_mem")).isEqualTo("7MB");
        assertThat(TestSql.single(server.superuserDataSource("postgres"), "SHOW shared_preload_libraries"))
                .isEqualTo("pg_stat_statements");
        assertThat(server.settings()).containsEntry("work_mem", "7MB").containsKey("shared_preload_libraries");
        assertThat(TestSql.single(app, "SELECT inet_server_port()")).isEqualTo(Integer.toString(server.port()));
    }

    @Test
    void dataSurvivesAStopAndAStartOnTheSamePort(DedicatedServer server, @Owner DataSource owner) throws SQLException {
        TestSql.execute(owner, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");

        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> TestSql.single(owner, "SELECT 1")).isInstanceOf(SQLException.class);
        server.start();

        assertThat(server.isRunning()).isTrue();
        assertThat(TestSql.single(owner, "SELECT id FROM kept")).isEqualTo("42");
        server.restart();
        assertThat(TestSql.single(owner, "SELECT count(*) FROM kept")).isEqualTo("1");
    }

    @Test
    void closingDeletesTheDataDirectory() {
        DedicatedServer server = DedicatedServer.start(Map.of());
        assertThat(server.dataDirectory()).isDirectory();

        server.close();

        assertThat(Files.exists(server.dataDirectory())).isFalse();
        assertThatThrownBy(server::start).isInstanceOf(TestkitException.class).hasMessageContaining("closed");
    }
}
