package org.heroesinwaiting.retention.backup;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database to back up and the login that reads it: {@code heroes_backup} (BYPASSRLS, so that
 * row level security cannot silently leave rows out of a dump). pg_dump gets the password through
 * its environment, never its command line.
 *
 * @param host the server's host
 * @param port its port
 * @param database the database
 * @param user the backup login
 * @param password its password
 */
public record BackupTarget(String host, int port, String database, String user, String password) {

    private static final Pattern JDBC_URL = Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?.*)?$");

    public BackupTarget {
        requireNonNull(host, "host");
        requireNonNull(database, "database");
        requireNonNull(user, "user");
        requireNonNull(password, "password");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
    }

    /**
     * @param jdbcUrl {@code jdbc:postgresql://host:port/database}
     * @param user the backup login
     * @param password its password
     * @return the target
     * @throws IllegalArgumentException when the URL is not of that form
     */
    public static BackupTarget of(String jdbcUrl, String user, String password) {
        Matcher url = JDBC_URL.matcher(requireNonNull(jdbcUrl, "jdbcUrl"));
        if (!url.matches()) {
            throw new IllegalArgumentException("a backup target's URL is jdbc:postgresql://host:port/database, not " + jdbcUrl);
        }
        return new BackupTarget(url.group(1), url.group(2) == null ? 5432 : Integer.parseInt(url.group(2)), url.group(3), user, password);
    }

    /** @return the JDBC URL of the database */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /**
     * @param applicationName what the session says it is ({@code pg_stat_activity.application_name})
     * @return a new connection to the database as the backup login
     * @throws SQLException when it cannot connect
     */
    public Connection connect(String applicationName) throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(jdbcUrl(), login);
    }

    @Override
    public String toString() {
        return "BackupTarget[" + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
