package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.core.tools.Folders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL cluster restored into a data directory of its own and started on a spare port of
 * localhost, with the machine's {@code pg_ctl}: a point-in-time recovery's result, or its scratch
 * copy. Started, it replays WAL to its target and promotes; {@link #awaitPromoted} waits for that
 * ({@code pg_ctl -w} returns before). Run as root, it runs in a user namespace of its own ({@code
 * unshare -U}, as the embedded database does), since PostgreSQL refuses root.
 */
public final class ScratchCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchCluster.class);
    private static final int LOG_KEPT = 3000;
    /** Settings a copy must share with its source, or it refuses to replay its WAL. */
    private static final List<String> SHARED_SETTINGS = List.of("max_connections", "max_worker_processes", "max_wal_senders",
            "max_prepared_transactions", "max_locks_per_transaction");

    private final Path pgCtl;
    private final Path dataDirectory;
    private final Path logFile;
    private final Path socketDirectory;
    private final int port;
    private final ClusterLogin login;
    private boolean running;

    private ScratchCluster(Path pgCtl, Path dataDirectory, Path logFile, Path socketDirectory, int port, ClusterLogin login) {
        this.pgCtl = pgCtl;
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
        this.socketDirectory = socketDirectory;
        this.port = port;
        this.login = login;
    }

    /**
     * Starts a data directory restored from a running cluster on a spare port, with that cluster's
     * major version of {@code pg_ctl} and the settings a copy must share with its source ({@code
     * max_connections} and the like: the copy refuses to replay otherwise; settings given on the
     * source's command line are not in its data directory), archiving off.
     *
     * @param tools where {@code pg_ctl} is found
     * @param dataDirectory the restored data directory
     * @param source the cluster it was restored from, as its superuser (the copy's roles came with it)
     * @return the cluster, running (perhaps still replaying)
     * @throws IOException when it does not start, with the end of its log
     * @throws SQLException when the source cannot be asked its settings
     */
    public static ScratchCluster start(ExternalTools tools, Path dataDirectory, ClusterLogin source) throws IOException, SQLException {
        Map<String, String> settings = new LinkedHashMap<>();
        int major;
        try (Connection connection = source.connect("postgres", "heroes-recovery");
                PreparedStatement sql = connection.prepareStatement("""
                        SELECT name, setting, current_setting('server_version_num')::integer / 10000 FROM pg_settings
                         WHERE name = ANY(?) ORDER BY name""")) {
            sql.setArray(1, connection.createArrayOf("text", SHARED_SETTINGS.toArray()));
            try (ResultSet rs = sql.executeQuery()) {
                major = 0;
                while (rs.next()) {
                    settings.put(rs.getString(1), rs.getString(2));
                    major = rs.getInt(3);
                }
            }
        }
        settings.put("archive_mode", "off"); // a copy's WAL must never reach the repository
        return start(tools, major, dataDirectory, source, settings);
    }

    /**
     * Starts a restored data directory on a spare port.
     *
     * @param tools where {@code pg_ctl} is found
     * @param major the major version the data directory is of
     * @param dataDirectory the restored data directory
     * @param credentials the superuser and password of the cluster it was restored from (its roles came with it)
     * @param settings settings over its {@code postgresql.conf}
     * @return the cluster, running (perhaps still replaying)
     * @throws IOException when it does not start, with the end of its log
     */
    public static ScratchCluster start(ExternalTools tools, int major, Path dataDirectory, ClusterLogin credentials, Map<String, String> settings)
            throws IOException {
        Path pgCtl = tools.postgres("pg_ctl", major);
        int port = freePort();
        Path socket = Files.createTempDirectory("heroes-pg", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path logFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log");
        ScratchCluster cluster = new ScratchCluster(pgCtl, dataDirectory, logFile, socket, port,
                new ClusterLogin("localhost", port, credentials.user(), credentials.password()));
        StringBuilder options = new StringBuilder("-c port=" + port + " -c listen_addresses=localhost -c unix_socket_directories=" + socket);
        settings.forEach((name, value) -> {
            if (!name.matches("^[a-z_]+$") || !value.matches("^[A-Za-z0-9_.:/-]*$")) {
                throw new IllegalArgumentException("a scratch cluster's setting is name=value of plain words, not " + name + "=" + value);
            }
            options.append(" -c ").append(name).append('=').append(value.isEmpty() ? "''" : value);
        });
        cluster.pgCtl(List.of("start", "-D", dataDirectory.toString(), "-l", logFile.toString(), "-o", options.toString(), "-w", "-t", "300"));
        cluster.running = true;
        LOG.info("scratch cluster {} runs on localhost:{}", dataDirectory, port);
        return cluster;
    }

    /**
     * Waits until it has replayed to its target and promoted ({@code pg_is_in_recovery()} false).
     *
     * @param timeout how long replaying may take
     * @throws IOException when it stops (it could not reach its target: the end of its log says why) or takes longer
     */
    public void awaitPromoted(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection connection = connect("postgres"); Statement sql = connection.createStatement();
                    ResultSet rs = sql.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return;
                }
            } catch (SQLException e) {
                if (!isAlive()) {
                    throw new IOException("the restored cluster stopped before it reached its target: " + logTail(), e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the restored cluster did not reach its target within " + timeout.toSeconds() + " s: " + logTail());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the restored cluster", e);
            }
        }
    }

    /**
     * @param database a database of the cluster
     * @return a new connection as the superuser
     * @throws SQLException when it cannot connect
     */
    public Connection connect(String database) throws SQLException {
        return login.connect(database, "heroes-recovery");
    }

    /** @return its port on localhost */
    public int port() {
        return port;
    }

    /** @return its data directory */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** @return the superuser on it */
    public ClusterLogin login() {
        return login;
    }

    /** Stops it (fast shutdown); the data directory stays. */
    public void stop() throws IOException {
        if (running) {
            pgCtl(List.of("stop", "-D", dataDirectory.toString(), "-m", "fast", "-w", "-t", "120"));
            running = false;
        }
    }

    /**
     * Removes what pgBackRest's restore wrote into {@code postgresql.auto.conf} for the copy's
     * recovery (its marker, {@code restore_command}, the {@code recovery_target} settings and
     * {@code archive_mode = 'off'}), which would otherwise outlive the copy's promotion: a copy that
     * becomes the live cluster must archive, and never replay again. The file's other lines stay.
     *
     * @param dataDirectory a stopped, promoted copy's data directory
     * @throws IOException when the file cannot be rewritten
     */
    static void forgetRestoreSettings(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve("postgresql.auto.conf");
        if (!Files.exists(file)) {
            return;
        }
        List<String> kept = new ArrayList<>();
        boolean generated = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.startsWith("# Recovery settings generated by pgBackRest restore")) {
                generated = true;
                continue;
            }
            if (generated && line.matches("^\\s*(restore_command|recovery_target\\w*|archive_mode)\\s*=.*")) {
                continue;
            }
            kept.add(line);
        }
        Files.write(file, kept, StandardCharsets.UTF_8);
    }

    /** Stops it and deletes its data directory, log and socket folder: a scratch copy, done with. */
    @Override
    public void close() throws IOException {
        try {
            stop();
        } finally {
            Folders.delete(dataDirectory);
            Files.deleteIfExists(logFile);
            Folders.delete(socketDirectory);
        }
    }

    private boolean isAlive() {
        try {
            return Files.exists(dataDirectory.resolve("postmaster.pid"))
                    && pgCtlQuietly(List.of("status", "-D", dataDirectory.toString())) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void pgCtl(List<String> arguments) throws IOException {
        List<String> output = new ArrayList<>();
        int exit = pgCtl(arguments, output);
        if (exit != 0) {
            throw new IOException("pg_ctl " + arguments.get(0) + " failed (exit " + exit + "): " + String.join(" ", output).strip() + "; "
                    + logTail());
        }
    }

    private int pgCtlQuietly(List<String> arguments) throws IOException {
        return pgCtl(arguments, new ArrayList<>());
    }

    private int pgCtl(List<String> arguments, List<String> output) throws IOException {
        List<String> command = new ArrayList<>(asUnprivileged());
        command.add(pgCtl.toString());
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        output.add(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running pg_ctl " + arguments.get(0), e);
        }
    }

    /** PostgreSQL refuses root: as root, in a user namespace of its own where it is nobody (the embedded database does the same). */
    private static List<String> asUnprivileged() {
        return "root".equals(System.getProperty("user.name")) ? List.of("unshare", "-U") : List.of();
    }

    private String logTail() {
        try {
            String text = Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "(no log)";
            return text.length() <= LOG_KEPT ? text.strip() : text.substring(text.length() - LOG_KEPT).strip();
        } catch (IOException e) {
            return "(its log cannot be read: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
