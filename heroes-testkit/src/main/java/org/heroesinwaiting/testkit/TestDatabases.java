package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.heroesinwaiting.sql.HeroesDatabase;
import org.heroesinwaiting.sql.LoginPasswords;
import org.heroesinwaiting.testkit.internal.ContainerServer;
import org.heroesinwaiting.testkit.internal.DockerDetection;
import org.heroesinwaiting.testkit.internal.EmbeddedServer;
import org.heroesinwaiting.testkit.internal.ExternalServer;
import org.heroesinwaiting.testkit.internal.PostgresServer;
import org.heroesinwaiting.testkit.internal.ProviderSelection;
import org.heroesinwaiting.testkit.internal.TemplateDatabase;

/**
 * Hands out fresh, fully migrated databases on one PostgreSQL server: the schema is migrated once
 * into a template database, and each database is a {@code CREATE DATABASE ... TEMPLATE} copy.
 * {@link HeroesDatabaseExtension} uses it; use it directly outside JUnit:
 *
 * <pre>{@code
 * try (TestDatabase db = TestDatabases.shared().create()) {
 *     DataSource app = db.dataSource(DatabaseLogin.APP);
 * }
 * }</pre>
 */
public final class TestDatabases implements AutoCloseable {

    private static TestDatabases shared;

    private final PostgresServer server;
    private final Map<DatabaseLogin, String> passwords;
    private final AtomicInteger created = new AtomicInteger();
    private final String runId = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private boolean templateReady;
    private Connection maintenance;

    private TestDatabases(PostgresServer server) {
        this.server = requireNonNull(server, "server");
        this.passwords = derivePasswords(server);
    }

    /**
     * The JVM's server, chosen by {@link TestkitSettings#fromEnvironment()}, started on first use and
     * stopped at exit.
     *
     * @return the shared instance
     */
    public static synchronized TestDatabases shared() {
        if (shared == null) {
            shared = start(TestkitSettings.fromEnvironment());
            TestDatabases stopping = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(stopping::close, "heroes-testkit-stop"));
        }
        return shared;
    }

    /**
     * Starts (or, for EXTERNAL, connects to) a server of its own; {@link #close()} stops it.
     *
     * @param settings which provider
     * @return databases on that server
     * @throws TestkitException when the provider cannot be had
     */
    public static TestDatabases start(TestkitSettings settings) {
        Provider provider = ProviderSelection.choose(settings, DockerDetection::isDockerAvailable);
        return new TestDatabases(switch (provider) {
            case EXTERNAL -> ExternalServer.of(settings);
            case DOCKER -> ContainerServer.start();
            case EMBEDDED -> EmbeddedServer.start(Map.of());
        });
    }

    static TestDatabases on(PostgresServer server) {
        return new TestDatabases(server);
    }

    /**
     * A new database copied from the migrated template (built on first use). Close it to drop it.
     *
     * @return the database
     * @throws TestkitException when the server refuses
     */
    public TestDatabase create() {
        String template = ensureTemplate();
        String name = nextName();
        execute("CREATE DATABASE " + TemplateDatabase.quote(name) + " TEMPLATE " + TemplateDatabase.quote(template)
                + " OWNER " + HeroesDatabase.OWNER);
        return new TestDatabase(this, server, name, passwords);
    }

    /**
     * A new database built the slow way, as production does: an empty database, the superuser
     * bootstrap, the logins, then every migration as {@code heroes_owner}. For comparing with
     * {@link #create()} and for benchmarks.
     *
     * @return the database
     */
    public TestDatabase createByMigrating() {
        String name = nextName();
        execute("CREATE DATABASE " + TemplateDatabase.quote(name) + " TEMPLATE template0 ENCODING 'UTF8'");
        TestDatabase database = new TestDatabase(this, server, name, passwords);
        try {
            HeroesDatabase.bootstrap(server.superuserDataSource(name));
            synchronized (TestDatabases.class) { // ALTER ROLE from two sessions at once fails
                HeroesDatabase.createUsers(server.superuserDataSource(name), loginPasswords());
            }
            HeroesDatabase.migrate(database.dataSource(DatabaseLogin.OWNER));
            return database;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** @return where the server came from */
    public Provider provider() {
        return server.provider();
    }

    /** @return the name of the template the databases are copied from */
    public String templateName() {
        return TemplateDatabase.name();
    }

    /** Stops the server if this instance started it. */
    @Override
    public void close() {
        synchronized (this) {
            closeMaintenanceConnection();
        }
        server.close();
    }

    void drop(String name) {
        execute("DROP DATABASE IF EXISTS " + TemplateDatabase.quote(name) + " WITH (FORCE)");
    }

    private synchronized String ensureTemplate() {
        if (!templateReady) {
            try {
                TemplateDatabase.ensure(server, loginPasswords());
            } catch (SQLException | RuntimeException e) {
                throw new TestkitException("could not build the template database on " + server + ": " + e.getMessage(), e);
            }
            templateReady = true;
        }
        return TemplateDatabase.name();
    }

    private String nextName() {
        return "heroes_test_" + runId + "_" + created.incrementAndGet();
    }

    /**
     * Runs CREATE or DROP DATABASE on one superuser connection kept open: a new connection for each
     * would cost about as much as the copy itself. A connection the server closed (a dedicated
     * server restarted) is replaced.
     */
    private synchronized void execute(String sql) {
        try {
            if (maintenance == null || !maintenance.isValid(2)) {
                closeMaintenanceConnection();
                maintenance = server.superuserDataSource(server.maintenanceDatabase()).getConnection();
            }
            try (Statement statement = maintenance.createStatement()) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new TestkitException(sql + " failed on " + server + ": " + e.getMessage(), e);
        }
    }

    private void closeMaintenanceConnection() {
        if (maintenance != null) {
            try {
                maintenance.close();
            } catch (SQLException e) {
                // the server is going away; nothing to keep
            }
            maintenance = null;
        }
    }

    private LoginPasswords loginPasswords() {
        return new LoginPasswords(passwords.get(DatabaseLogin.OWNER), passwords.get(DatabaseLogin.APP),
                passwords.get(DatabaseLogin.READONLY), passwords.get(DatabaseLogin.BACKUP),
                passwords.get(DatabaseLogin.ANALYTICS));
    }

    /**
     * The same for every JVM that shares a server (so none changes another's passwords), and not
     * guessable without the superuser's password.
     */
    private static Map<DatabaseLogin, String> derivePasswords(PostgresServer server) {
        Map<DatabaseLogin, String> passwords = new EnumMap<>(DatabaseLogin.class);
        for (DatabaseLogin login : DatabaseLogin.values()) {
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                        ("heroes-testkit|" + server.superuser() + "|" + server.superuserPassword() + "|" + login.roleName())
                                .getBytes(StandardCharsets.UTF_8));
                passwords.put(login, Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 32));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
        return passwords;
    }
}
