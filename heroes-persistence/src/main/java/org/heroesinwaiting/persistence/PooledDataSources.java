package org.heroesinwaiting.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Connection pools for the Heroes in Waiting logins (HikariCP).
 *
 * <pre>{@code
 * try (HikariDataSource app = PooledDataSources.forApplication(DatabaseSettings.of(url, "heroes_app", password));
 *         Heroes heroes = Heroes.create(HeroesSettings.of(keyring), app, Clock.systemUTC())) {
 *     ...
 * }
 * }</pre>
 *
 * <p>The application's pool refuses, on every connection it opens, a login for which row level
 * security would not apply (a superuser or a BYPASSRLS role): each facilitator's isolation from
 * the others rests on it. The backup login is BYPASSRLS on purpose and gets a pool of its own from
 * {@link #create(DatabaseSettings)}.
 */
public final class PooledDataSources {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private PooledDataSources() {
    }

    /**
     * What the application's pool runs on each new connection: SQLSTATE 42501 when the login
     * bypasses row level security.
     */
    static final String REQUIRE_ROW_LEVEL_SECURITY = """
            DO $guard$
            BEGIN
              IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolbypassrls)) THEN
                RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
                  'refusing to serve as %I: it is a superuser or a BYPASSRLS role, so row level security would silently not '
                  || 'apply; use heroes_app', current_user);
              END IF;
            END
            $guard$""";

    /**
     * The application login's pool. Opens no connection until one is asked for, and then refuses
     * the connection (SQLSTATE 42501, its message naming the login) when the login is a superuser
     * or BYPASSRLS role.
     *
     * @param settings where, as the application login ({@code heroes_app})
     * @return a pool; close it when done
     */
    public static HikariDataSource forApplication(DatabaseSettings settings) {
        return forApplication(settings, config -> { });
    }

    /**
     * @param settings where, as the application login
     * @param customizer adjusts the pool before it starts (a metrics registry, say)
     * @return a pool that refuses a login that bypasses row level security
     */
    public static HikariDataSource forApplication(DatabaseSettings settings, Consumer<HikariConfig> customizer) {
        return create(settings, config -> {
            config.setConnectionInitSql(REQUIRE_ROW_LEVEL_SECURITY);
            customizer.accept(config);
        });
    }

    /**
     * A pool for any login, without the application's guard (the backup login's). Opens no connection until one is asked for, so a host can start while the database is still
     * coming up and report it in its health check.
     *
     * @param settings where and as whom
     * @return a pool; close it when done
     */
    public static HikariDataSource create(DatabaseSettings settings) {
        return create(settings, config -> { });
    }

    /**
     * @param settings where and as whom
     * @param customizer adjusts the pool before it starts (a metrics registry, say)
     * @return a pool; close it when done
     */
    public static HikariDataSource create(DatabaseSettings settings, Consumer<HikariConfig> customizer) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.jdbcUrl());
        config.setUsername(settings.user());
        if (!settings.password().isEmpty()) {
            config.setPassword(settings.password());
        }
        // A fixed-size pool (HikariCP's advice): a classroom's burst of 30 joins waits a few
        // milliseconds for one of a few busy connections instead of opening dozens that would
        // compete for the database's cores; see DatabaseSettings.DEFAULT_POOL_SIZE.
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(settings.poolSize());
        config.setPoolName(settings.poolName());
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("ApplicationName", "heroes-in-waiting");
        customizer.accept(config);
        return new HikariDataSource(config);
    }
}
