package org.heroesinwaiting.sql;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The operations page's "From Java" example, kept compiling and running here. */
class FromJavaExampleTest {

    @Test
    void theExampleInstallsTheSchema() {
        String database = TestCluster.createDatabase();

        MigrationResult result = install(TestCluster.superuser(database), TestCluster.login(HeroesDatabase.OWNER, database),
                "owner-secret-of-the-example", "app-secret-of-the-example");

        assertThat(result.currentVersion()).isEqualTo(HeroesDatabase.migrationScripts().get(HeroesDatabase.migrationScripts().size() - 1)
                .substring(1, 4));
    }

    static MigrationResult install(DataSource superuserDataSource, DataSource ownerDataSource, String ownerPassword, String appPassword) {
        HeroesDatabase.bootstrap(superuserDataSource);                 // BootstrapResult
        HeroesDatabase.createUsers(superuserDataSource, LoginPasswords.none()
                .withOwner(ownerPassword).withApp(appPassword));        // CreateUsersResult, same procedure, bind parameters
        MigrationResult result = HeroesDatabase.migrate(ownerDataSource); // as heroes_owner
        return result;
    }
}
