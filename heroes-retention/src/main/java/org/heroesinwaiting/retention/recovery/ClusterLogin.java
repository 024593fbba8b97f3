package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

/**
 * A superuser of the cluster that restores and drills run as: creating databases, restoring
 * extensions and running {@code pg_amcheck} need rights no project login has. The server uses the
 * superuser configured for {@code heroes db bootstrap} ({@code HEROES_SUPERUSER}; the embedded
 * database has one).
 *
 * @param host the server's host
 * @param port its port
 * @param user a superuser
 * @param password its password ({@code ""} for none)
 */
public record ClusterLogin(String host, int port, String user, String password) {

    public ClusterLogin {
        requireNonNull(host, "host");
        requireNonNull(user, "user");
        requireNonNull(password, "password");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
    }

    /**
     * @param database a database of the cluster
     * @return its JDBC URL
     */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "ClusterLogin[" + user + "@" + host + ":" + port + "]";
    }
}
