package org.heroesinwaiting.testkit;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh, fully migrated Heroes in Waiting database, and injects into test and
 * lifecycle methods a {@link DataSource} or {@link Jdbi} for the application login {@code heroes_app}
 * (row level security applies), the same for the owner when the parameter is annotated
 * {@link Owner @Owner}, the {@link TestDatabase} itself, and a {@link DedicatedServer} and its
 * {@link Replica} when asked for them.
 *
 * <pre>{@code
 * class ClassroomTest {
 *     @RegisterExtension
 *     static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();
 *
 *     @Test
 *     void theApplicationLogsInAsHeroesApp(Jdbi app) {
 *         String user = app.withHandle(h -> h.select("SELECT current_user").mapTo(String.class).one());
 *         assertThat(user).isEqualTo("heroes_app");
 *     }
 * }
 * }</pre>
 *
 * <p>Databases are copies of a template migrated once per server, dropped after the test (or after
 * the class, with {@link #perClass()}). Tests running in parallel each get their own.
 */
public final class HeroesDatabaseExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(HeroesDatabaseExtension.class);
    private static final String DATABASE = "database";
    private static final String SERVER = "server";
    private static final String REPLICA = "replica";

    private final boolean perClass;
    private final Map<String, String> dedicatedSettings;
    private final boolean replica;
    private final Supplier<TestDatabases> databases;

    private HeroesDatabaseExtension(boolean perClass, Map<String, String> dedicatedSettings, boolean replica,
            Supplier<TestDatabases> databases) {
        this.perClass = perClass;
        this.dedicatedSettings = dedicatedSettings;
        this.replica = replica;
        this.databases = databases;
    }

    /**
     * @return an extension using the JVM's shared server ({@link TestDatabases#shared()}), a fresh
     *     database per test
     */
    public static HeroesDatabaseExtension create() {
        return new HeroesDatabaseExtension(false, null, false, TestDatabases::shared);
    }

    /**
     * One database for all tests of the class (register the extension in a static field).
     *
     * @return a copy so configured
     */
    public HeroesDatabaseExtension perClass() {
        return new HeroesDatabaseExtension(true, dedicatedSettings, replica, databases);
    }

    /**
     * Databases on the given instance instead of the shared server (another provider, a server of
     * your own). The caller closes it.
     *
     * @param databases where to create databases
     * @return a copy so configured
     */
    public HeroesDatabaseExtension withDatabases(TestDatabases databases) {
        requireNonNull(databases, "databases");
        if (replica) {
            throw new IllegalStateException("withReplica() needs the extension's own server, not given databases");
        }
        return new HeroesDatabaseExtension(perClass, null, false, () -> databases);
    }

    /**
     * An embedded server of this extension's own, started with these settings for the class (static
     * field) or for each test (instance field), injectable as {@link DedicatedServer}.
     *
     * @param settings {@code postgresql.conf} settings
     * @return a copy so configured
     */
    public HeroesDatabaseExtension withDedicatedServer(Map<String, String> settings) {
        return new HeroesDatabaseExtension(perClass, Map.copyOf(settings), replica, databases);
    }

    /**
     * A real streaming replica beside the databases' server, injectable as {@link Replica}: the
     * databases are then on a {@link DedicatedServer} (with the settings of {@link
     * #withDedicatedServer}, or the defaults), and the replica is made from it with {@code
     * pg_basebackup -R} before the first database, for the class (static field) or for each test.
     * Each database is handed to the test once the replica has it too.
     *
     * @return a copy so configured
     */
    public HeroesDatabaseExtension withReplica() {
        return new HeroesDatabaseExtension(perClass, dedicatedSettings != null ? dedicatedSettings : Map.of(), true, databases);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (dedicatedSettings != null) {
            startServer(store);
        }
        if (perClass) {
            store.put(DATABASE, createDatabase(context));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (dedicatedSettings != null && store.get(SERVER, DedicatedServer.class) == null) {
            startServer(store); // instance field: a server per test
        }
        if (perClass) {
            if (store.get(DATABASE, TestDatabase.class) == null) {
                throw new TestkitException("perClass() needs the extension in a static field "
                        + "(@RegisterExtension static HeroesDatabaseExtension ...)");
            }
            return;
        }
        store.put(DATABASE, createDatabase(context));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close(context, false);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close(context, true);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == DataSource.class || type == Jdbi.class || type == TestDatabase.class
                || (type == DedicatedServer.class && dedicatedSettings != null) || (type == Replica.class && replica);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == DedicatedServer.class) {
            return context.getStore(NAMESPACE).get(SERVER, DedicatedServer.class);
        }
        if (type == Replica.class) {
            return context.getStore(NAMESPACE).get(REPLICA, Replica.class);
        }
        TestDatabase database = context.getStore(NAMESPACE).get(DATABASE, TestDatabase.class);
        if (database == null) {
            throw new ParameterResolutionException("no Heroes database yet for " + parameter.getDeclaringExecutable()
                    + ": @BeforeAll methods get one only with perClass()");
        }
        DatabaseLogin login = parameter.isAnnotated(Owner.class) ? DatabaseLogin.OWNER : DatabaseLogin.APP;
        if (type == DataSource.class) {
            return database.dataSource(login);
        }
        if (type == Jdbi.class) {
            return database.jdbi(login);
        }
        return database;
    }

    private void startServer(ExtensionContext.Store store) {
        DedicatedServer server = DedicatedServer.start(dedicatedSettings);
        store.put(SERVER, server);
        if (replica) {
            store.put(REPLICA, server.startReplica());
        }
    }

    /** A new database; with a replica, once the replica has it too. */
    private TestDatabase createDatabase(ExtensionContext context) {
        TestDatabase database = databasesFor(context).create();
        Replica standby = context.getStore(NAMESPACE).get(REPLICA, Replica.class);
        if (standby != null) {
            standby.awaitReplay();
        }
        return database;
    }

    private TestDatabases databasesFor(ExtensionContext context) {
        DedicatedServer server = context.getStore(NAMESPACE).get(SERVER, DedicatedServer.class);
        return server != null ? server.databases() : databases.get();
    }

    /** Drops what this level created: the database, then the replica, then the dedicated server. */
    private void close(ExtensionContext context, boolean classLevel) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (classLevel == perClass) {
            TestDatabase database = store.remove(DATABASE, TestDatabase.class);
            if (database != null) {
                database.close();
            }
        }
        Replica standby = store.remove(REPLICA, Replica.class);
        if (standby != null) {
            standby.close();
        }
        DedicatedServer server = store.remove(SERVER, DedicatedServer.class);
        if (server != null) {
            server.close();
        }
    }
}
