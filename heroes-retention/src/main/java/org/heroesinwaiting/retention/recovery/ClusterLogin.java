package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

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

    /**
     * @param database a database of the cluster
     * @param applicationName what the session says it is ({@code pg_stat_activity.application_name})
     * @return a new connection as this login
     * @throws SQLException when it cannot connect
     */
    public Connection connect(String database, String applicationName) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(jdbcUrl(database), login);
    }

    @Override
    public String toString() {
        return "ClusterLogin[" + user + "@" + host + ":" + port + "]";
    }
}
