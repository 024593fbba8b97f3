package org.heroesinwaiting.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Connection pools for the Heroes in Waiting logins (HikariCP).
 *
 * <pre>{@code
 * try (HikariDataSource app = PooledDataSources.create(DatabaseSettings.of(url, "heroes_app", password))) {
 *     Jdbi jdbi = Jdbi.create(app);
 * }
 * }</pre>
 */
public final class PooledDataSources {

    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private PooledDataSources() {
    }

    /**
     * Opens no connection until one is asked for, so a host can start while the database is still
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
