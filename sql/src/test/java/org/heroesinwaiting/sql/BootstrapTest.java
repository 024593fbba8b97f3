package org.heroesinwaiting.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.CallableStatement;
import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    private static final String ATTRIBUTES = """
            SELECT rolname, rolsuper, rolbypassrls, rolreplication, rolcanlogin, rolcreatedb, rolcreaterole
              FROM pg_roles WHERE rolname = '%s'""";

    @Test
    void bootstrapTwiceIsHarmless() {
        String database = TestCluster.createDatabase();
        DataSource superuser = TestCluster.superuser(database);

        BootstrapResult first = HeroesDatabase.bootstrap(superuser);
        BootstrapResult second = HeroesDatabase.bootstrap(superuser);

        assertThat(second).isEqualTo(first);
        assertThat(first.extensions()).containsExactly("amcheck", "pg_stat_statements", "pgcrypto", "uuid-ossp");
        assertThat(first.roles()).containsExactly(
                "analytics_role", "application_role", "backup_role", "heroes_owner", "readonly_role");
        assertThat(TestCluster.query(superuser,
                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                .containsExactly("heroes_owner");
        assertThat(TestCluster.query(superuser,
                "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'"))
                .containsExactly("heroes_owner");
    }

    @Test
    void groupRolesCannotLogInAndTheOwnerBypassesRlsWithoutBeingSuperuser() {
        String database = TestCluster.createDatabase();
        DataSource superuser = TestCluster.superuser(database);
        HeroesDatabase.bootstrap(superuser);

        for (String group : new String[] {"application_role", "readonly_role", "backup_role", "analytics_role"}) {
            assertThat(TestCluster.query(superuser, ATTRIBUTES.formatted(group)))
                    .containsExactly(group + "|f|f|f|f|f|f");
        }
        assertThat(TestCluster.query(superuser, ATTRIBUTES.formatted("heroes_owner")))
                .containsExactly("heroes_owner|f|t|f|t|f|f");
    }

    @Test
    void bootstrapRefusesALoginThatIsNoSuperuser() {
        String database = TestCluster.createDatabase();
        String plainDba = TestCluster.plainLogin();

        assertThatThrownBy(() -> HeroesDatabase.bootstrap(TestCluster.login(plainDba, database)))
                .isInstanceOf(UnableToBootstrapException.class)
                .hasMessageContaining("must be run by a superuser");
    }

    @Test
    void createUsersGivesEveryLoginItsAttributesGroupAndTimeout() {
        String database = TestCluster.createDatabase();
        DataSource superuser = TestCluster.superuser(database);
        HeroesDatabase.bootstrap(superuser);

        CreateUsersResult result = HeroesDatabase.createUsers(superuser, LoginPasswords.none());

        assertThat(result.logins()).containsExactlyElementsOf(LoginPasswords.LOGINS);
        assertThat(result.passwordsSet()).isEmpty();
        assertThat(TestCluster.query(superuser, ATTRIBUTES.formatted("heroes_app"))).containsExactly("heroes_app|f|f|f|t|f|f");
        assertThat(TestCluster.query(superuser, ATTRIBUTES.formatted("heroes_readonly"))).containsExactly("heroes_readonly|f|f|f|t|f|f");
        assertThat(TestCluster.query(superuser, ATTRIBUTES.formatted("heroes_analytics"))).containsExactly("heroes_analytics|f|f|f|t|f|f");
        assertThat(TestCluster.query(superuser, ATTRIBUTES.formatted("heroes_backup"))).containsExactly("heroes_backup|f|t|t|t|f|f");
        assertThat(TestCluster.query(superuser, """
                SELECT m.rolname || '>' || g.rolname FROM pg_auth_members a
                  JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
                 WHERE m.rolname LIKE 'heroes\\_%' ORDER BY 1"""))
                .containsExactly("heroes_analytics>analytics_role", "heroes_app>application_role",
                        "heroes_backup>backup_role", "heroes_readonly>readonly_role");
        assertThat(TestCluster.query(superuser, """
                SELECT r.rolname || ' ' || array_to_string(s.setconfig, ',') FROM pg_db_role_setting s
                  JOIN pg_roles r ON r.oid = s.setrole WHERE s.setdatabase = 0 AND r.rolname LIKE 'heroes\\_%' ORDER BY 1"""))
                .containsExactly(
                        "heroes_analytics statement_timeout=2min",
                        "heroes_app statement_timeout=30s,idle_in_transaction_session_timeout=60s",
                        "heroes_backup statement_timeout=0",
                        "heroes_readonly statement_timeout=5min");
    }

    @Test
    void theBackupLoginCanTakeAPhysicalBackupAndTheApplicationCannot() {
        String database = TestCluster.createDatabase();
        DataSource superuser = TestCluster.superuser(database);
        HeroesDatabase.bootstrap(superuser);
        HeroesDatabase.bootstrap(superuser); // twice: the grants are not repeated
        HeroesDatabase.createUsers(superuser, LoginPasswords.none());

        // what pgBackRest does as heroes_backup, for real: a checkpoint, a backup's start and stop, a WAL switch, a restore point
        DataSource backup = TestCluster.login("heroes_backup", database);
        assertThat(TestCluster.query(backup, """
                SELECT pg_backup_start('heroes test', true) IS NOT NULL, (SELECT lsn IS NOT NULL FROM pg_backup_stop(false)),
                       pg_create_restore_point('heroes test') IS NOT NULL, current_setting('data_directory') <> ''""")).containsExactly("t|t|t|t");
        TestCluster.execute(backup, "CHECKPOINT");
        TestCluster.execute(backup, "SELECT pg_switch_wal()");
        assertThat(TestCluster.query(superuser, """
                SELECT count(*) FROM pg_auth_members a JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
                 WHERE m.rolname = 'backup_role' AND g.rolname IN ('pg_checkpoint', 'pg_read_all_settings', 'pg_monitor')""")).containsExactly("3");
        assertThat(TestCluster.query(backup, "SELECT count(*) >= 0 FROM pg_ls_archive_statusdir()")).as("the archiving sample's listing")
                .containsExactly("t");

        DataSource app = TestCluster.login("heroes_app", database);
        assertThatThrownBy(() -> TestCluster.query(app, "SELECT pg_backup_start('x', true)")).hasMessageContaining("permission denied");
        assertThatThrownBy(() -> TestCluster.execute(app, "CHECKPOINT")).hasMessageContaining("must be");
    }

    @Test
    void createUsersCorrectsAnExistingLoginInsteadOfDuplicatingIt() {
        String database = TestCluster.createDatabase();
        DataSource superuser = TestCluster.superuser(database);
        HeroesDatabase.bootstrap(superuser);
        HeroesDatabase.createUsers(superuser, LoginPasswords.none());
        TestCluster.execute(superuser, "ALTER ROLE heroes_readonly BYPASSRLS CREATEDB NOLOGIN");
        TestCluster.execute(superuser, "ALTER ROLE heroes_backup NOBYPASSRLS NOREPLICATION");

        HeroesDatabase.createUsers(superuser, LoginPasswords.none());

        assertThat(TestCluster.query(superuser, ATTRIBUTES.formatted("heroes_readonly"))).containsExactly("heroes_readonly|f|f|f|t|f|f");
        assertThat(TestCluster.query(superuser, ATTRIBUTES.formatted("heroes_backup"))).containsExactly("heroes_backup|f|t|t|t|f|f");
        assertThat(TestCluster.query(superuser, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'heroes\\_%'"))
                .containsExactly("5");
    }

    @Test
    void createUsersSetsOnlyTheGivenPasswordsAndKeepsTheOthers() {
        String database = TestCluster.createDatabase();
        DataSource superuser = TestCluster.superuser(database);
        HeroesDatabase.bootstrap(superuser);
        String verifier = "SELECT coalesce(rolpassword, 'none') FROM pg_authid WHERE rolname = 'heroes_app'";

        CreateUsersResult result = HeroesDatabase.createUsers(superuser,
                LoginPasswords.none().withApp("correct horse battery staple"));
        String set = TestCluster.query(superuser, verifier).get(0);
        HeroesDatabase.createUsers(superuser, LoginPasswords.none().withReadonly("another long password"));

        assertThat(result.passwordsSet()).containsExactly("heroes_app");
        assertThat(set).startsWith("SCRAM-SHA-256$");
        assertThat(TestCluster.query(superuser, verifier)).containsExactly(set);
    }

    @Test
    void aShortPasswordIsRefusedInJavaAndInSql() throws Exception {
        String database = TestCluster.createDatabase();
        DataSource superuser = TestCluster.superuser(database);
        HeroesDatabase.bootstrap(superuser);

        assertThatThrownBy(() -> LoginPasswords.none().withBackup("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 12 characters");
        try (Connection connection = superuser.getConnection();
                CallableStatement call = connection.prepareCall("CALL heroes_admin.create_users(app_password => ?)")) {
            call.setString(1, "short");
            assertThatThrownBy(call::execute).hasMessageContaining("the password for heroes_app must have at least 12 characters");
        }
    }

    @Test
    void createUsersNeedsTheBootstrapFirst() {
        String database = TestCluster.createDatabase();

        assertThatThrownBy(() -> HeroesDatabase.createUsers(TestCluster.superuser(database), LoginPasswords.none()))
                .isInstanceOf(UnableToBootstrapException.class)
                .hasMessageContaining("run the bootstrap in this database first");
    }

    @Test
    void passwordsNeverAppearInToString() {
        LoginPasswords passwords = LoginPasswords.none().withOwner("owner password 123").withApp("app password 1234");

        assertThat(passwords.toString()).isEqualTo("LoginPasswords[heroes_owner, heroes_app]");
    }
}
