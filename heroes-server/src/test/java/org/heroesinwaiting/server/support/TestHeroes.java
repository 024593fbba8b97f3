package org.heroesinwaiting.server.support;

import java.time.Clock;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;

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
