package org.heroesinwaiting.sql;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One embedded PostgreSQL 15 for this module's tests. The sql module cannot use heroes-testkit
 * (the testkit depends on it), so it starts its own, as the testkit's EMBEDDED provider does.
 */
final class TestCluster {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestCluster() {
    }

    static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder()
                        .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    static int port() {
        return postgres().getPort();
    }

    /** Creates an empty database, as the guide's {@code createdb} does. */
    static String createDatabase() {
        String name = "sqltest_" + DATABASES.incrementAndGet();
        execute(superuser("postgres"), "CREATE DATABASE " + name);
        return name;
    }

    static DataSource superuser(String database) {
        return login("postgres", database);
    }

    /** The embedded server trusts local connections, so any existing login connects. */
    static DataSource login(String user, String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        return dataSource;
    }

    /** Each row as its columns joined by {@code |} (NULL as "null"). */
    static List<String> query(DataSource dataSource, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return rows;
    }

    /** A database bootstrapped with logins (no passwords) and migrated by the loader. */
    static String migratedDatabase() {
        String database = createDatabase();
        HeroesDatabase.bootstrap(superuser(database));
        HeroesDatabase.createUsers(superuser(database), LoginPasswords.none());
        HeroesDatabase.migrate(login(HeroesDatabase.OWNER, database));
        return database;
    }

    /** A login that may create databases but is no superuser, as a DBA's own account often is. */
    static String plainLogin() {
        execute(superuser("postgres"), "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'plain_dba') THEN "
                + "CREATE ROLE plain_dba LOGIN CREATEDB; END IF; END $$");
        return "plain_dba";
    }

    static void execute(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
