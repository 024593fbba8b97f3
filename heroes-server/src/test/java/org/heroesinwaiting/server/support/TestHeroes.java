package org.heroesinwaiting.server.support;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.retention.BackupSettings;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.TestDatabase;

/**
 * The library on a test database, built by the composition root exactly as a host builds it, with
 * the test keyring and one hashing thread. Close it after the test.
 */
public final class TestHeroes {

    private TestHeroes() {
    }

    /** @return the settings every HTTP test uses: the test keyring, one hashing thread, 32 waiting */
    public static HeroesSettings settings() {
        return HeroesSettings.of(AuthApps.KEYRING).withHashing(1, 32);
    }

    /**
     * @param settings the library's settings
     * @param database the test database, which backups read as {@code heroes_backup} and restore drills run on as its superuser
     * @param root the backup root
     * @return the settings, with backups of the test database
     */
    public static HeroesSettings withBackups(HeroesSettings settings, TestDatabase database, Path root) {
        return settings.with(BackupSettings.class, new BackupSettings(
                BackupTarget.of(database.jdbcUrl(), DatabaseLogin.BACKUP.roleName(), database.password(DatabaseLogin.BACKUP)), root,
                Optional.empty(), Optional.of(new ClusterLogin(database.host(), database.port(), "postgres", "")), ExternalTools.system()));
    }

    /**
     * @param app the application login
     * @return the library, on the system clock
     */
    public static Heroes on(DataSource app) {
        return on(app, Clock.systemUTC());
    }

    /**
     * @param app the application login
     * @param clock Java's "now"
     * @return the library
     */
    public static Heroes on(DataSource app, Clock clock) {
        return Heroes.create(settings(), app, clock);
    }

    /**
     * @param app the application login
     * @param clock Java's "now"
     * @param settings the library's settings
     * @return the library
     */
    public static Heroes on(DataSource app, Clock clock, HeroesSettings settings) {
        return Heroes.create(settings, app, clock);
    }
}
