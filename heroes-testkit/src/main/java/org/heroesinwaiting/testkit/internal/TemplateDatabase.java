package org.heroesinwaiting.testkit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.heroesinwaiting.sql.HeroesDatabase;
import org.heroesinwaiting.sql.LoginPasswords;

/**
 * The fully migrated database every test database is cloned from, built once per server and
 * schema. Its name carries the schema's fingerprint, so a long-lived external server never hands
 * out a template of older migrations; it is marked a template only when complete, so a build that
 * died halfway is rebuilt.
 */
public final class TemplateDatabase {

    /** Serialises template builds across JVMs that share a server (advisory locks are per server). */
    private static final long BUILD_LOCK = 0x4845524f4553L; // "HEROES"

    private TemplateDatabase() {
    }

    /**
     * @return the template's name for the schema this library carries
     */
    public static String name() {
        return "heroes_tpl_" + HeroesDatabase.schemaFingerprint().substring(0, 16);
    }

    /**
     * Builds the template unless a complete one exists.
     *
     * @param server where
     * @param passwords the logins' passwords, set while building
     * @return true when it was built now, false when a complete one was there
     * @throws SQLException when the server refuses
     */
    public static boolean ensure(PostgresServer server, LoginPasswords passwords) throws SQLException {
        String template = name();
        try (Connection connection = server.superuserDataSource(server.maintenanceDatabase()).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + BUILD_LOCK + ")");
            try {
                Boolean complete = isTemplate(connection, template);
                if (Boolean.TRUE.equals(complete)) {
                    return false;
                }
                if (complete != null) {
                    statement.execute("DROP DATABASE " + quote(template) + " WITH (FORCE)");
                }
                statement.execute("CREATE DATABASE " + quote(template) + " TEMPLATE template0 ENCODING 'UTF8'");
                HeroesDatabase.bootstrap(server.superuserDataSource(template));
                HeroesDatabase.createUsers(server.superuserDataSource(template), passwords);
                HeroesDatabase.migrate(DataSources.create(server.host(), server.port(), template, HeroesDatabase.OWNER,
                        passwords.owner()));
                statement.execute("ALTER DATABASE " + quote(template) + " WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
                return true;
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + BUILD_LOCK + ")");
            }
        }
    }

    /**
     * @param name a database name (the testkit's own, never user input)
     * @return it as a quoted identifier
     */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static Boolean isTemplate(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT datistemplate FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }
}
