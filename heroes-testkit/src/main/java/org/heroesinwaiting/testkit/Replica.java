package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.heroesinwaiting.testkit.internal.DataSources;
import org.heroesinwaiting.testkit.internal.EmbeddedServer;
import org.jdbi.v3.core.Jdbi;

/**
 * A real streaming replica of a {@link DedicatedServer}: a second PostgreSQL made with
 * {@code pg_basebackup -R} from it and started beside it, read-only (a hot standby). Every
 * database of the primary, those created after the replica too, is on it under the same name,
 * with the same logins and passwords.
 *
 * <pre>{@code
 * @RegisterExtension
 * static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().withReplica();
 *
 * @Test
 * void readsOnTheReplica(TestDatabase database, Replica replica, @Owner Jdbi owner) {
 *     owner.useHandle(h -> h.execute("UPDATE analytics_settings SET k_anonymity = 6"));
 *     replica.awaitReplay();
 *     Jdbi analytics = replica.jdbi(database, DatabaseLogin.ANALYTICS);
 *     ...
 * }
 * }</pre>
 *
 * <p>It needs {@code pg_basebackup} (Debian's {@code postgresql-client-15}, or {@code HEROES_PG_BIN}).
 */
public final class Replica implements AutoCloseable {

    private static final Duration REPLAY_WAIT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 20;

    private final DedicatedServer primary;
    private final EmbeddedServer standby;

    private Replica(DedicatedServer primary, EmbeddedServer standby) {
        this.primary = primary;
        this.standby = standby;
    }

    static Replica of(DedicatedServer primary, EmbeddedServer standby) {
        return new Replica(requireNonNull(primary, "primary"), requireNonNull(standby, "standby"));
    }

    /** @return its TCP port on localhost */
    public int port() {
        return standby.port();
    }

    /** @return its data directory */
    public Path dataDirectory() {
        return standby.dataDirectory();
    }

    /**
     * @param database a database of the primary
     * @return the JDBC URL of the same database on the replica
     */
    public String jdbcUrl(TestDatabase database) {
        return DataSources.url(standby.host(), standby.port(), requireNonNull(database, "database").name());
    }

    /**
     * @param database a database of the primary
     * @param login a login
     * @return an unpooled data source logging in as it to the same database on the replica
     */
    public DataSource dataSource(TestDatabase database, DatabaseLogin login) {
        requireNonNull(database, "database");
        return DataSources.create(standby.host(), standby.port(), database.name(), login.roleName(), database.password(login));
    }

    /**
     * @param database a database of the primary
     * @param login a login
     * @return a Jdbi on {@link #dataSource(TestDatabase, DatabaseLogin)}, with the plugins on the classpath installed
     */
    public Jdbi jdbi(TestDatabase database, DatabaseLogin login) {
        return Jdbi.create(dataSource(database, login)).installPlugins();
    }

    /**
     * The superuser, for what only it may do on a standby (pausing the replay, reading every
     * column of {@code pg_stat_wal_receiver}). Never use it to test what the application may do.
     *
     * @param database a database
     * @return a data source logging in to it on the replica as the superuser
     */
    public DataSource superuserDataSource(String database) {
        return standby.superuserDataSource(database);
    }

    /**
     * Waits until the replica has replayed everything the primary has written so far (its WAL
     * insert position: the testkit's servers commit asynchronously, so a commit may wait up to
     * {@code wal_writer_delay} for its flush), so that a test reads on it what it just committed
     * on the primary.
     *
     * @throws TestkitException when it has not within a minute (it stopped streaming, or its replay is paused)
     */
    public void awaitReplay() {
        awaitReplay(REPLAY_WAIT);
    }

    /**
     * @param timeout how long to wait at most
     * @throws TestkitException when it has not replayed what the primary wrote within the timeout
     * @see #awaitReplay()
     */
    public void awaitReplay(Duration timeout) {
        String written = primaryInsertLocation();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = superuserDataSource(standby.maintenanceDatabase()).getConnection();
                PreparedStatement replayed = connection.prepareStatement(
                        "SELECT pg_last_wal_replay_lsn() >= CAST(? AS pg_lsn), pg_last_wal_replay_lsn()::text")) {
            replayed.setString(1, written);
            while (true) {
                try (ResultSet rs = replayed.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new TestkitException("the replica on port " + port() + " replayed up to " + rs.getString(2)
                                + ", not the primary's " + written + ", within " + timeout);
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (SQLException e) {
            throw new TestkitException("cannot read the replica's replay position: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestkitException("interrupted while waiting for the replica's replay", e);
        }
    }

    /**
     * Pauses the replay (WAL still arrives; nothing of it becomes visible), and returns once it is
     * paused: what a replica that falls behind looks like.
     */
    public void pauseReplay() {
        execute("SELECT pg_wal_replay_pause()");
        long deadline = System.nanoTime() + REPLAY_WAIT.toNanos();
        while (!"paused".equals(query("SELECT pg_get_wal_replay_pause_state()"))) {
            if (System.nanoTime() > deadline) {
                throw new TestkitException("the replica's replay did not pause within " + REPLAY_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestkitException("interrupted while pausing the replica's replay", e);
            }
        }
    }

    /** Resumes a paused replay. */
    public void resumeReplay() {
        execute("SELECT pg_wal_replay_resume()");
    }

    /** Stops the replica and deletes its data; the primary runs on. */
    @Override
    public void close() {
        standby.close();
    }

    @Override
    public String toString() {
        return "Replica[localhost:" + port() + " of localhost:" + primary.port() + "]";
    }

    private String primaryInsertLocation() {
        try (Connection connection = primary.superuserDataSource("postgres").getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new TestkitException("cannot read the primary's WAL position: " + e.getMessage(), e);
        }
    }

    private void execute(String sql) {
        query(sql);
    }

    private String query(String sql) {
        try (Connection connection = superuserDataSource(standby.maintenanceDatabase()).getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new TestkitException(sql + " failed on the replica: " + e.getMessage(), e);
        }
    }
}
