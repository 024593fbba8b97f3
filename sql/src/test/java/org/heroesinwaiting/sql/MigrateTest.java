package org.heroesinwaiting.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class MigrateTest {

    @Test
    void migrateAppliesEveryMigrationAsTheOwner() {
        String database = TestCluster.createDatabase();
        HeroesDatabase.bootstrap(TestCluster.superuser(database));
        HeroesDatabase.createUsers(TestCluster.superuser(database), LoginPasswords.none());

        MigrationResult result = HeroesDatabase.migrate(TestCluster.login(HeroesDatabase.OWNER, database));

        assertThat(result.initial()).isEmpty();
        assertThat(result.applied()).first().isEqualTo("V001 base");
        assertThat(result.applied()).hasSize(HeroesDatabase.migrationScripts().size());
        assertThat(result.adoptedFromPsql()).isZero();
        assertThat(TestCluster.query(TestCluster.superuser(database),
                "SELECT version || ' ' || type || ' ' || installed_by || ' ' || success FROM flyway_schema_history ORDER BY installed_rank"))
                .contains("001 SQL heroes_owner true");
        assertThat(TestCluster.query(TestCluster.superuser(database),
                "SELECT DISTINCT pg_get_userbyid(p.proowner) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'app'"))
                .containsExactly("heroes_owner");
    }

    @Test
    void migratingAgainAppliesNothing() {
        String database = TestCluster.migratedDatabase();

        MigrationResult again = HeroesDatabase.migrate(TestCluster.login(HeroesDatabase.OWNER, database));

        assertThat(again.applied()).isEmpty();
        assertThat(again.initial()).contains(again.currentVersion());
    }

    @Test
    void migrateRefusesASuperuser() {
        String database = TestCluster.createDatabase();
        HeroesDatabase.bootstrap(TestCluster.superuser(database));

        assertThatThrownBy(() -> HeroesDatabase.migrate(TestCluster.superuser(database)))
                .isInstanceOf(UnableToMigrateException.class)
                .hasMessageContaining("refusing to migrate as superuser postgres");
        assertThat(TestCluster.query(TestCluster.superuser(database), "SELECT to_regclass('flyway_schema_history') IS NULL"))
                .containsExactly("t");
    }

    @Test
    void migrateRefusesADatabaseThatWasNotBootstrapped() {
        TestCluster.migratedDatabase(); // makes sure heroes_owner exists in the cluster
        String database = TestCluster.createDatabase();

        assertThatThrownBy(() -> HeroesDatabase.migrate(TestCluster.login(HeroesDatabase.OWNER, database)))
                .isInstanceOf(UnableToMigrateException.class)
                .hasMessageContaining("database owned by postgres")
                .hasMessageContaining("run the bootstrap as a superuser first");
    }

    @Test
    void theApplicationLoginIsNoSuperuserHasNoBypassRlsAndOwnsNothing() {
        String database = TestCluster.migratedDatabase();
        DataSource superuser = TestCluster.superuser(database);

        assertThat(TestCluster.query(superuser,
                "SELECT rolsuper, rolbypassrls, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 'heroes_app'"))
                .containsExactly("f|f|f|f");
        assertThat(TestCluster.query(superuser, """
                SELECT count(*) FROM pg_shdepend
                 WHERE refclassid = 'pg_authid'::regclass AND refobjid = 'heroes_app'::regrole AND deptype = 'o'"""))
                .containsExactly("0");
        assertThat(TestCluster.query(superuser, "SELECT count(*) FROM pg_database WHERE datdba = 'heroes_app'::regrole"))
                .containsExactly("0");
    }

    @Test
    void theActorContextHoldsForOneTransactionOnly() throws SQLException {
        String database = TestCluster.migratedDatabase();

        try (Connection connection = TestCluster.login("heroes_app", database).getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("SELECT app.set_context('6f1c1d7e-58f4-4c8e-9a65-0f5a8f3f2b11', NULL, 'facilitator', 'req-1', '203.0.113.7')");
            assertThat(row(statement, "SELECT app.facilitator_id(), app.student_session_id(), app.actor_role(), app.request_id(), app.client_ip()"))
                    .isEqualTo("6f1c1d7e-58f4-4c8e-9a65-0f5a8f3f2b11|null|facilitator|req-1|203.0.113.7");
            connection.commit();

            // A pooled connection keeps '' after a transaction-local setting: it must read as NULL.
            assertThat(row(statement, "SELECT app.facilitator_id(), app.actor_role(), app.client_ip()"))
                    .isEqualTo("null|null|null");
            connection.commit();
        }
    }

    @Test
    void theActorContextRefusesAnUnknownRoleAndAStudentsAddress() throws SQLException {
        String database = TestCluster.migratedDatabase();

        try (Connection connection = TestCluster.login("heroes_app", database).getConnection();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.execute("SELECT app.set_context(NULL, NULL, 'principal', NULL, NULL)"))
                    .hasMessageContaining("role must be facilitator, admin, student or system, not principal");
            assertThatThrownBy(() -> statement.execute(
                    "SELECT app.set_context(NULL, gen_random_uuid(), 'student', NULL, '198.51.100.4')"))
                    .hasMessageContaining("a student's IP address is never recorded");
        }
    }

    @Test
    void onlyTheApplicationRoleMaySetTheContext() {
        String database = TestCluster.migratedDatabase();

        assertThatThrownBy(() -> TestCluster.execute(TestCluster.login("heroes_analytics", database),
                "SELECT app.set_context(NULL, NULL, 'admin', NULL, NULL)"))
                .cause().isInstanceOfSatisfying(java.sql.SQLException.class,
                        refused -> assertThat(refused.getSQLState()).as("insufficient_privilege").isEqualTo("42501"));
    }

    @Test
    void updatedAtMovesOnEveryUpdate() throws SQLException {
        String database = TestCluster.migratedDatabase();

        try (Connection connection = TestCluster.login(HeroesDatabase.OWNER, database).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TEMP TABLE t (id int, updated_at timestamptz NOT NULL DEFAULT '2000-01-01')");
            statement.execute("CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION app.touch_updated_at()");
            statement.execute("INSERT INTO t (id) VALUES (1)");
            statement.execute("UPDATE t SET id = 2");

            assertThat(row(statement, "SELECT updated_at > '2000-01-01' FROM t")).isEqualTo("t");
        }
    }

    @Test
    void aHistoryThatDoesNotMatchTheFilesIsRefused() {
        String database = TestCluster.migratedDatabase();
        DataSource superuser = TestCluster.superuser(database);
        // What psql would leave had it applied a migration this library does not carry.
        TestCluster.execute(superuser, """
                INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
                VALUES (99, '998', 'from the future', 'SQL', 'V998__from_the_future.sql', NULL, 'heroes_owner', 0, true)""");

        assertThatThrownBy(() -> HeroesDatabase.migrate(TestCluster.login(HeroesDatabase.OWNER, database)))
                .isInstanceOf(UnableToMigrateException.class)
                .hasMessageContaining("998");
    }

    @Test
    void theLibraryKnowsItsMigrationsAndTheirFingerprint() {
        assertThat(HeroesDatabase.migrationScripts()).first().isEqualTo("V001__base.sql");
        assertThat(HeroesDatabase.migrationScripts()).isSorted();
        assertThat(HeroesDatabase.schemaFingerprint()).matches("[0-9a-f]{64}");
    }

    private static String row(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.append(i > 1 ? "|" : "").append(rs.getString(i));
            }
            return row.toString();
        }
    }
}
