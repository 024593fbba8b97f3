package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.testkit.internal.EmbeddedServer;

/**
 * An embedded PostgreSQL 15 of a test's own, with the server settings the test gives, that the test
 * may stop and start again (same port, same data). For what the shared server cannot offer:
 * WAL archiving, a crash between two steps, a restore into a stopped cluster.
 *
 * <pre>{@code
 * @RegisterExtension
 * static HeroesDatabaseExtension db = HeroesDatabaseExtension.create()
 *         .withDedicatedServer(Map.of("archive_mode", "on", "archive_command", "cp %p /tmp/wal/%f"));
 *
 * @Test
 * void survivesARestart(DedicatedServer server, @Owner DataSource owner) {
 *     server.restart();
 *     ...
 * }
 * }</pre>
 */
public final class DedicatedServer implements AutoCloseable {

    private final EmbeddedServer server;
    private final TestDatabases databases;

    private DedicatedServer(EmbeddedServer server) {
        this.server = server;
        this.databases = TestDatabases.on(server);
    }

    /**
     * @param settings {@code postgresql.conf} settings, over the testkit's defaults
     * @return a running server in a new temporary data directory
     */
    public static DedicatedServer start(Map<String, String> settings) {
        return new DedicatedServer(EmbeddedServer.start(requireNonNull(settings, "settings")));
    }

    /** @return fresh migrated databases on this server */
    public TestDatabases databases() {
        return databases;
    }

    /** Stops the server (fast shutdown); the data stays. */
    public void stop() {
        server.stop();
    }

    /** Starts it again after {@link #stop()}; does nothing while it runs. */
    public void start() {
        server.startAgain();
    }

    /** Stops and starts it. */
    public void restart() {
        server.stop();
        server.startAgain();
    }

    /**
     * A streaming replica of this server ({@code pg_basebackup -R}), started beside it.
     *
     * @return the running replica; close it before this server
     * @throws TestkitException when pg_basebackup is missing or fails
     */
    public Replica startReplica() {
        return Replica.of(this, server.startStandby());
    }

    /** @return whether it runs now */
    public boolean isRunning() {
        return server.isRunning();
    }

    /** @return its data directory */
    public Path dataDirectory() {
        return server.dataDirectory();
    }

    /** @return its TCP port on localhost */
    public int port() {
        return server.port();
    }

    /** @return the settings it runs with, defaults included */
    public Map<String, String> settings() {
        return server.settings();
    }

    /**
     * The superuser, which a test of its own server may need (a restore, a new database). Never
     * use it to test what the application may do: it bypasses row level security.
     *
     * @param database a database on this server
     * @return a data source logging in as the superuser
     */
    public DataSource superuserDataSource(String database) {
        return server.superuserDataSource(database);
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        server.close();
    }
}
