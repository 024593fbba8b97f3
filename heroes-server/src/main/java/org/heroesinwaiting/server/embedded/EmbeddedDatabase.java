package org.heroesinwaiting.server.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.server.secrets.SecretFiles;
import org.heroesinwaiting.sql.HeroesDatabase;
import org.heroesinwaiting.sql.MigrationResult;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference server's default database: PostgreSQL 15 from Maven, in {@code <data dir>/postgres},
 * with production settings instead of the embedded library's test defaults: password (SCRAM)
 * authentication for every connection, fsync and synchronous commit on, the data kept across
 * restarts, stopped only when the server says so. {@code pg_stat_statements} is preloaded and
 * {@code wal_level=replica} with a replication line for {@code heroes_backup}, so backups work.
 *
 * <p>Another {@code ./heroes} command on the same data dir while {@code serve} runs attaches to the
 * running cluster (its port is in {@code postmaster.pid}) instead of starting a second one.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    /** The database the server uses inside the embedded cluster. */
    public static final String DATABASE = "heroes_in_waiting";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String CLUSTER = "postgres";
    private static final String PASSWORD_FILE = ".initdb-password";
    private static final List<String> PG_HBA = List.of(
            "# Written by Heroes in Waiting on every start: every login needs its password.",
            "local   all             all                                     scram-sha-256",
            "host    all             all             127.0.0.1/32            scram-sha-256",
            "host    all             all             ::1/128                 scram-sha-256",
            "local   replication     heroes_backup                           scram-sha-256",
            "host    replication     heroes_backup   127.0.0.1/32            scram-sha-256",
            "host    replication     heroes_backup   ::1/128                 scram-sha-256");

    private final Path cluster;
    private final int port;
    private final EmbeddedSecrets secrets;
    private final EmbeddedPostgres postgres;
    private boolean stopped;

    private EmbeddedDatabase(Path cluster, int port, EmbeddedSecrets secrets, EmbeddedPostgres postgres) {
        this.cluster = cluster;
        this.port = port;
        this.secrets = secrets;
        this.postgres = postgres;
    }

    /**
     * Starts the cluster (creating it on first use), then bootstraps, sets the logins' passwords and
     * migrates the database.
     *
     * @param dataDir the server's data dir
     * @return the running database; {@link #close()} stops it
     * @throws HeroesException when it cannot start, or a server already runs on this data dir
     */
    public static EmbeddedDatabase start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /**
     * Starts the cluster (creating it on first use) with more server settings (WAL archiving:
     * {@code archive_mode}, {@code archive_command}, {@code archive_timeout}), then bootstraps, sets
     * the logins' passwords and migrates the database.
     *
     * @param dataDir the server's data dir
     * @param settings {@code postgresql.conf} settings over the defaults, given at every start
     * @return the running database; {@link #close()} stops it
     * @throws HeroesException when it cannot start, or a server already runs on this data dir
     */
    public static EmbeddedDatabase start(Path dataDir, Map<String, String> settings) {
        Path cluster = dataDir.resolve(CLUSTER);
        Optional<Integer> running = runningPort(cluster);
        if (running.isPresent()) {
            throw new EmbeddedDatabaseException("the embedded database of " + dataDir + " already runs (port " + running.get()
                    + "): is another ./heroes serve using this data dir?");
        }
        EmbeddedSecrets secrets = EmbeddedSecrets.loadOrCreate(dataDir);
        boolean fresh = !Files.exists(cluster.resolve("PG_VERSION"));
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        try {
            int port = freePort();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(cluster)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setConnectConfig("password", secrets.superuser())
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("wal_level", "replica")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("logging_collector", "on")
                    .setServerConfig("log_directory", "log")
                    .setServerConfig("log_filename", "postgresql-%a.log")
                    .setServerConfig("log_truncate_on_rotation", "on")
                    .setDataDirectoryCustomizer(directory -> writePgHba(directory.toPath(), passwordFile));
            settings.forEach(builder::setServerConfig);
            if (fresh) {
                LOG.info("creating the embedded PostgreSQL cluster in {}", cluster);
                SecretFiles.write(passwordFile, secrets.superuser() + "\n");
                // initdb takes the last of zonky's -A trust and these: SCRAM from the first start.
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.toString());
            }
            EmbeddedPostgres postgres = builder.start();
            EmbeddedDatabase database = new EmbeddedDatabase(cluster, port, secrets, postgres);
            try {
                database.prepare();
            } catch (RuntimeException e) {
                database.close();
                throw e;
            }
            LOG.info("embedded PostgreSQL {} runs on localhost:{} with data in {}", database.serverVersion(), port, cluster);
            return database;
        } catch (IOException e) {
            throw new EmbeddedDatabaseException("the embedded PostgreSQL did not start in " + cluster + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(passwordFile);
        }
    }

    /**
     * The cluster {@code serve} runs on this data dir, or a new one when none runs.
     *
     * @param dataDir the server's data dir
     * @return the database; {@link #close()} stops it only if this call started it
     */
    public static EmbeddedDatabase attachOrStart(Path dataDir) {
        return attachOrStart(dataDir, Map.of());
    }

    /**
     * The cluster {@code serve} runs on this data dir, or a new one with these settings when none runs.
     *
     * @param dataDir the server's data dir
     * @param settings {@code postgresql.conf} settings for a cluster this call starts
     * @return the database; {@link #close()} stops it only if this call started it
     */
    public static EmbeddedDatabase attachOrStart(Path dataDir, Map<String, String> settings) {
        Path cluster = dataDir.resolve(CLUSTER);
        Optional<Integer> running = runningPort(cluster);
        if (running.isPresent()) {
            LOG.info("using the embedded PostgreSQL that ./heroes serve runs on localhost:{}", running.get());
            return new EmbeddedDatabase(cluster, running.get(), EmbeddedSecrets.loadOrCreate(dataDir), null);
        }
        return start(dataDir, settings);
    }

    /** @return the JDBC URL of the application database */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    /** @return the port it listens on (localhost) */
    public int port() {
        return port;
    }

    /** @return its cluster directory ({@code PGDATA}) */
    public Path clusterDirectory() {
        return cluster;
    }

    /** @return the passwords of its superuser and logins */
    public EmbeddedSecrets secrets() {
        return secrets;
    }

    /** @return whether this object started the cluster (and so stops it) */
    public boolean ownsCluster() {
        return postgres != null;
    }

    /**
     * @param user a login
     * @param password its password
     * @return an unpooled data source on the application database
     */
    public DataSource dataSource(String user, String password) {
        return dataSource(DATABASE, user, password);
    }

    /** @return the superuser on the application database */
    public DataSource superuser() {
        return dataSource(DATABASE, "postgres", secrets.superuser());
    }

    /**
     * Stops the cluster (fast shutdown: sessions end, a checkpoint is written) if this object
     * started it; once: a second call does nothing.
     */
    @Override
    public synchronized void close() {
        if (postgres != null && !stopped) {
            stopped = true;
            try {
                postgres.close();
                LOG.info("embedded PostgreSQL stopped");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * @param cluster a cluster directory
     * @return the port of the postmaster that runs there and accepts connections, if any
     */
    static Optional<Integer> runningPort(Path cluster) {
        Path pidFile = cluster.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            int port = Integer.parseInt(lines.get(3).trim());
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress("localhost", port), 1000);
                return Optional.of(port);
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // no pid file, or a stale one from a crash
        }
    }

    private void prepare() {
        try (Connection connection = dataSource("postgres", "postgres", secrets.superuser()).getConnection();
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE " + DATABASE + " ENCODING 'UTF8' TEMPLATE template0");
                    }
                }
            }
        } catch (SQLException e) {
            throw new EmbeddedDatabaseException("cannot create the database " + DATABASE + ": " + e.getMessage(), e);
        }
        HeroesDatabase.bootstrap(superuser());
        HeroesDatabase.createUsers(superuser(), secrets.logins());
        MigrationResult migration = HeroesDatabase.migrate(dataSource(HeroesDatabase.OWNER, secrets.logins().owner()));
        if (!migration.applied().isEmpty()) {
            LOG.info("migrated {} to version {}: {}", DATABASE, migration.currentVersion(), migration.applied());
        }
    }

    private String serverVersion() {
        try (Connection connection = superuser().getConnection();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "(version unknown)";
        }
    }

    private DataSource dataSource(String database, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"localhost"});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setApplicationName("heroes-in-waiting");
        return dataSource;
    }

    private static void writePgHba(Path directory, Path passwordFile) {
        try {
            Files.write(directory.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pg_hba.conf in " + directory, e);
        }
        deleteQuietly(passwordFile);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", file, e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
