package org.heroesinwaiting.persistence;

import static java.util.Objects.requireNonNull;

/**
 * How to reach one login of a Heroes in Waiting database.
 *
 * <pre>{@code
 * DatabaseSettings app = DatabaseSettings.of("jdbc:postgresql://db:5432/heroes_in_waiting", "heroes_app", password)
 *         .withPoolSize(20);
 * }</pre>
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database}
 * @param user the login
 * @param password its password ({@code ""} for none)
 * @param poolSize the most connections a pool opens
 * @param poolName the pool's name in logs and metrics
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int poolSize, String poolName) {

    /**
     * The default pool size. PostgreSQL does its best work with about two connections per core
     * doing work at once; a small database server (2 to 4 cores) is saturated by 10, and every
     * connection above that adds memory and contention, not throughput. Bursts queue in the pool
     * (each request holds a connection for a few milliseconds), bounded by the connection timeout.
     */
    public static final int DEFAULT_POOL_SIZE = 10;

    /** Validates. */
    public DatabaseSettings {
        requireNonNull(jdbcUrl, "jdbcUrl");
        requireNonNull(user, "user");
        password = password == null ? "" : password;
        requireNonNull(poolName, "poolName");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must be a PostgreSQL JDBC URL (jdbc:postgresql://...), not " + jdbcUrl);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, not " + poolSize);
        }
    }

    /**
     * @param jdbcUrl {@code jdbc:postgresql://host:port/database}
     * @param user the login
     * @param password its password
     * @return settings with the default pool
     */
    public static DatabaseSettings of(String jdbcUrl, String user, String password) {
        return new DatabaseSettings(jdbcUrl, user, password, DEFAULT_POOL_SIZE, "heroes-" + user);
    }

    /**
     * @param size the most connections the pool opens
     * @return a copy with it
     */
    public DatabaseSettings withPoolSize(int size) {
        return new DatabaseSettings(jdbcUrl, user, password, size, poolName);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "DatabaseSettings[" + jdbcUrl + " as " + user + ", pool " + poolName + " of " + poolSize + "]";
    }
}
