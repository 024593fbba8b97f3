package org.heroesinwaiting.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HeroesDatabaseExtensionTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    @Test
    void theDataSourceLogsInAsTheApplicationWhereRowLevelSecurityApplies(DataSource app) throws SQLException {
        assertThat(TestSql.single(app, "SELECT current_user || ' ' || rolsuper || ' ' || rolbypassrls FROM pg_roles WHERE rolname = current_user"))
                .isEqualTo("heroes_app false false");
    }

    @Test
    void theOwnerIsThereOnRequest(@Owner DataSource owner, @Owner Jdbi ownerJdbi, Jdbi app) throws SQLException {
        assertThat(TestSql.single(owner, "SELECT current_user")).isEqualTo("heroes_owner");
        assertThat(ownerJdbi.withHandle(h -> h.select("SELECT current_user").mapTo(String.class).one()).toString()).isEqualTo("heroes_owner");
        assertThat(app.withHandle(h -> h.select("SELECT current_user").mapTo(String.class).one()).toString()).isEqualTo("heroes_app");
    }

    @Test
    void theDatabaseIsFullyMigrated(@Owner DataSource owner) throws SQLException {
        assertThat(TestSql.single(owner, "SELECT string_agg(script, ',' ORDER BY installed_rank) FROM flyway_schema_history WHERE type = 'SQL'"))
                .isEqualTo(String.join(",", org.heroesinwaiting.sql.HeroesDatabase.migrationScripts()));
        assertThat(TestSql.single(owner, "SELECT count(*) FROM pg_extension WHERE extname IN ('pgcrypto', 'uuid-ossp', 'pg_stat_statements', 'amcheck')"))
                .isEqualTo("4");
    }

    @Test
    void pgStatStatementsIsPreloaded(@Owner DataSource owner) throws SQLException {
        assertThat(TestSql.single(owner, "SELECT (count(*) >= 0)::text FROM pg_stat_statements")).isEqualTo("true");
    }

    @Test
    void theConnectionDetailsWorkForEveryLogin(TestDatabase database) throws SQLException {
        for (DatabaseLogin login : DatabaseLogin.values()) {
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), login.roleName(), database.password(login));
                    Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT current_user, current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(login.roleName());
                assertThat(rs.getString(2)).isEqualTo(database.name());
            }
        }
    }

    /** Each repetition creates the same table: it would fail in a database a test already used. */
    @RepeatedTest(3)
    void everyTestGetsAFreshDatabase(TestDatabase database, @Owner DataSource owner) throws SQLException {
        TestSql.execute(owner, "CREATE TABLE left_behind (id int)");
        assertThat(SEEN.add(database.name())).as("database names are never reused").isTrue();
    }

    @Test
    void theApplicationCannotCreateTables(DataSource app) {
        assertThatThrownBy(() -> TestSql.execute(app, "CREATE TABLE public.sneaky (id int)"))
                .isInstanceOfSatisfying(java.sql.SQLException.class,
                        refused -> assertThat(refused.getSQLState()).as("insufficient_privilege").isEqualTo("42501"));
    }
}
