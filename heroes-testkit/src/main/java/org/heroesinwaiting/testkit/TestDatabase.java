package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.testkit.internal.DataSources;
import org.heroesinwaiting.testkit.internal.PostgresServer;
import org.jdbi.v3.core.Jdbi;

/**
 * One fully migrated database of a test, with the connection details of each login. Closing it
 * drops the database.
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.shared().create()) {
 *     Jdbi app = db.jdbi(DatabaseLogin.APP);
 *     ...
 * }
 * }</pre>
 */
public final class TestDatabase implements AutoCloseable {

    private final TestDatabases owner;
    private final PostgresServer server;
    private final String name;
    private final Map<DatabaseLogin, String> passwords;
    private boolean dropped;

    TestDatabase(TestDatabases owner, PostgresServer server, String name, Map<DatabaseLogin, String> passwords) {
        this.owner = requireNonNull(owner, "owner");
        this.server = requireNonNull(server, "server");
        this.name = requireNonNull(name, "name");
        this.passwords = Map.copyOf(passwords);
    }

    /** @return the database's name */
    public String name() {
        return name;
    }

    /** @return the server's host */
    public String host() {
        return server.host();
    }

    /** @return the server's port */
    public int port() {
        return server.port();
    }

    /** @return where the server came from */
    public Provider provider() {
        return server.provider();
    }

    /** @return {@code jdbc:postgresql://host:port/name} */
    public String jdbcUrl() {
        return DataSources.url(host(), port(), name);
    }

    /**
     * @param login a login
     * @return its password on this server
     */
    public String password(DatabaseLogin login) {
        return passwords.get(requireNonNull(login, "login"));
    }

    /**
     * @param login a login
     * @return an unpooled data source logging in as it
     */
    public DataSource dataSource(DatabaseLogin login) {
        return DataSources.create(host(), port(), name, login.roleName(), password(login));
    }

    /**
     * @param login a login
     * @return a Jdbi on {@link #dataSource(DatabaseLogin)}, with the plugins on the classpath installed
     */
    public Jdbi jdbi(DatabaseLogin login) {
        return Jdbi.create(dataSource(login)).installPlugins();
    }

    /** Drops the database, ending any connection a test left open. */
    @Override
    public synchronized void close() {
        if (dropped) {
            return;
        }
        owner.drop(name);
        dropped = true;
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl() + "]";
    }
}
