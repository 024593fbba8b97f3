package org.heroesinwaiting.testkit.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.testkit.Provider;
import org.heroesinwaiting.testkit.TestkitException;

/**
 * PostgreSQL 15 from zonky's Maven binaries, in a data directory of its own. It can be stopped and
 * started again on the same port and data (later tests restart a server with WAL archiving).
 */
public final class EmbeddedServer implements PostgresServer {

    /** What every embedded server runs with, as production does. */
    public static final Map<String, String> DEFAULT_SETTINGS = Map.of("shared_preload_libraries", "pg_stat_statements");

    private static final String SHARED_MEMORY = "/dev/shm";
    private static final long MINIMUM_SHARED_MEMORY = 1L << 30;

    private final Path dataDirectory;
    private final int port;
    private final Map<String, String> settings;
    private EmbeddedPostgres postgres;
    private boolean closed;

    private EmbeddedServer(Path dataDirectory, int port, Map<String, String> settings) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.settings = settings;
    }

    /**
     * Starts a server in a new temporary data directory, deleted by {@link #close()} or at exit.
     *
     * @param extraSettings server settings ({@code postgresql.conf} names) over the defaults
     * @return the running server
     */
    public static EmbeddedServer start(Map<String, String> extraSettings) {
        Map<String, String> settings = new LinkedHashMap<>(DEFAULT_SETTINGS);
        settings.putAll(extraSettings);
        try {
            EmbeddedServer server = new EmbeddedServer(Files.createTempDirectory(scratchSpace(), "heroes-pg"), freePort(),
                    Map.copyOf(settings));
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "heroes-testkit-embedded-stop"));
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A hot standby of this running server: {@code pg_basebackup -R} (PostgreSQL's own client
     * program, found as {@link ExternalTools} finds it) copies it into a new data directory, which
     * starts on a port of its own and streams from this server for as long as both run. It runs
     * with this server's settings (a standby needs at least the primary's connection and lock
     * limits), WAL archiving left off.
     *
     * @return the running standby; {@link #close()} stops it and deletes its data
     * @throws TestkitException when pg_basebackup is missing or fails, or the standby does not start
     */
    public EmbeddedServer startStandby() {
        if (!isRunning()) {
            throw new TestkitException("a standby copies a running server; " + this + " is stopped");
        }
        Path pgBaseBackup = ExternalTools.system().postgres("pg_basebackup", ExternalTools.OLDEST_MAJOR);
        Map<String, String> standbySettings = new LinkedHashMap<>(settings);
        standbySettings.put("archive_mode", "off");
        standbySettings.put("hot_standby", "on");
        try {
            EmbeddedServer standby = new EmbeddedServer(Files.createTempDirectory(scratchSpace(), "heroes-pg-standby"), freePort(),
                    Map.copyOf(standbySettings));
            Runtime.getRuntime().addShutdownHook(new Thread(standby::close, "heroes-testkit-standby-stop"));
            run(List.of(pgBaseBackup.toString(), "--host=" + host(), "--port=" + port, "--username=" + superuser(),
                    "--pgdata=" + standby.dataDirectory, "--write-recovery-conf", "--wal-method=stream", "--checkpoint=fast",
                    "--no-sync", "--no-password"));
            standby.startAgain();
            return standby;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) throws IOException {
        Path log = Files.createTempFile("heroes-testkit", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new TestkitException(command.get(0) + " did not finish in 2 minutes: " + Files.readString(log).strip());
            }
            if (process.exitValue() != 0) {
                throw new TestkitException(String.join(" ", command) + " failed with exit code " + process.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TestkitException("interrupted while " + command.get(0) + " ran", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Starts the server after {@link #stop()}, on the same port and data. */
    public synchronized void startAgain() {
        if (closed) {
            throw new TestkitException("this embedded server was closed; it cannot start again");
        }
        if (postgres != null) {
            return;
        }
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setPort(port);
        settings.forEach(builder::setServerConfig);
        try {
            postgres = builder.start();
        } catch (IOException | RuntimeException e) {
            throw new TestkitException("the embedded PostgreSQL did not start in " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Stops the server (a fast shutdown), keeping its data. */
    public synchronized void stop() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
    }

    /** @return whether it runs now */
    public synchronized boolean isRunning() {
        return postgres != null;
    }

    /** @return its data directory ({@code PGDATA}) */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** @return the settings it runs with */
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public Provider provider() {
        return Provider.EMBEDDED;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String superuser() {
        return "postgres";
    }

    @Override
    public String superuserPassword() {
        return "";
    }

    @Override
    public String maintenanceDatabase() {
        return "postgres";
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            stop();
        } finally {
            closed = true;
            deleteRecursively(dataDirectory);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedServer[localhost:" + port + ", " + dataDirectory + "]";
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where data directories go: shared memory when the machine has enough of it, because a test
     * cluster's files need no disk and CREATE DATABASE from the template is several times faster
     * in memory; otherwise {@code java.io.tmpdir}.
     */
    static Path scratchSpace() throws IOException {
        Path memory = Path.of(SHARED_MEMORY);
        if (Files.isDirectory(memory) && Files.isWritable(memory)
                && Files.getFileStore(memory).getUsableSpace() >= MINIMUM_SHARED_MEMORY) {
            return memory;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
