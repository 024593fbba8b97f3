package org.heroesinwaiting.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The EXTERNAL provider against a server "someone else runs": a dedicated embedded one, reached only
 * through a JDBC URL and superuser credentials, as {@code -Dheroes.testkit.url=...} would.
 */
class ExternalProviderTest {

    private static DedicatedServer server;

    @BeforeAll
    static void startTheExternalServer() {
        server = DedicatedServer.start(Map.of());
    }

    @AfterAll
    static void stopIt() {
        server.close();
    }

    @Test
    void createsMigratedDatabasesOnAServerGivenByUrl() throws SQLException {
        try (TestDatabases databases = TestDatabases.start(settings()); TestDatabase database = databases.create()) {
            assertThat(databases.provider()).isEqualTo(Provider.EXTERNAL);
            assertThat(database.port()).isEqualTo(server.port());
            assertThat(TestSql.single(database.dataSource(DatabaseLogin.OWNER), "SELECT count(*) FROM flyway_schema_history WHERE success"))
                    .isNotEqualTo("0");
        }
        assertThat(server.isRunning()).as("an external server is not the testkit's to stop").isTrue();
    }

    @Test
    void aCompleteTemplateIsReusedByTheNextRun() throws SQLException {
        DataSource postgres = server.superuserDataSource("postgres");
        try (TestDatabases first = TestDatabases.start(settings())) {
            first.create().close();
        }
        String oid = TestSql.single(postgres, "SELECT oid FROM pg_database WHERE datname = '" + TemplateName.current() + "'");

        try (TestDatabases second = TestDatabases.start(settings())) {
            second.create().close();
        }

        assertThat(TestSql.single(postgres, "SELECT oid FROM pg_database WHERE datname = '" + TemplateName.current() + "'"))
                .isEqualTo(oid);
    }

    @Test
    void aTemplateLeftHalfBuiltIsBuiltAgain() throws SQLException {
        try (TestDatabases databases = TestDatabases.start(settings())) {
            databases.create().close(); // a complete template exists now
        }
        DataSource postgres = server.superuserDataSource("postgres");
        String template = TemplateName.current();
        TestSql.execute(postgres, "ALTER DATABASE " + template + " IS_TEMPLATE false");
        TestSql.execute(postgres, "DROP DATABASE " + template);
        TestSql.execute(postgres, "CREATE DATABASE " + template); // as if a build died before marking it done

        try (TestDatabases databases = TestDatabases.start(settings()); TestDatabase database = databases.create()) {
            assertThat(TestSql.single(database.dataSource(DatabaseLogin.OWNER), "SELECT to_regnamespace('app') IS NOT NULL"))
                    .isEqualTo("t");
        }
        assertThat(TestSql.single(postgres, "SELECT datistemplate::text || ' ' || datallowconn FROM pg_database WHERE datname = '" + template + "'"))
                .isEqualTo("true false");
    }

    private static TestkitSettings settings() {
        return TestkitSettings.external("jdbc:postgresql://localhost:" + server.port() + "/postgres", "postgres", "");
    }

    /** The template name as the testkit derives it. */
    private static final class TemplateName {
        static String current() {
            return org.heroesinwaiting.testkit.internal.TemplateDatabase.name();
        }
    }
}
