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
 * {@link Owner @Owner}, the {@link TestDatabase} itself, and a {@link DedicatedServer} when asked for one.
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

    private final boolean perClass;
    private final Map<String, String> dedicatedSettings;
    private final Supplier<TestDatabases> databases;

    private HeroesDatabaseExtension(boolean perClass, Map<String, String> dedicatedSettings, Supplier<TestDatabases> databases) {
        this.perClass = perClass;
        this.dedicatedSettings = dedicatedSettings;
        this.databases = databases;
    }

    /**
     * @return an extension using the JVM's shared server ({@link TestDatabases#shared()}), a fresh
     *     database per test
     */
    public static HeroesDatabaseExtension create() {
        return new HeroesDatabaseExtension(false, null, TestDatabases::shared);
    }

    /**
     * One database for all tests of the class (register the extension in a static field).
     *
     * @return a copy so configured
     */
    public HeroesDatabaseExtension perClass() {
        return new HeroesDatabaseExtension(true, dedicatedSettings, databases);
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
        return new HeroesDatabaseExtension(perClass, null, () -> databases);
    }

    /**
     * An embedded server of this extension's own, started with these settings for the class (static
     * field) or for each test (instance field), injectable as {@link DedicatedServer}.
     *
     * @param settings {@code postgresql.conf} settings
     * @return a copy so configured
     */
    public HeroesDatabaseExtension withDedicatedServer(Map<String, String> settings) {
        return new HeroesDatabaseExtension(perClass, Map.copyOf(settings), databases);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (dedicatedSettings != null) {
            store.put(SERVER, DedicatedServer.start(dedicatedSettings));
        }
        if (perClass) {
            store.put(DATABASE, databasesFor(context).create());
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (dedicatedSettings != null && store.get(SERVER, DedicatedServer.class) == null) {
            store.put(SERVER, DedicatedServer.start(dedicatedSettings)); // instance field: a server per test
        }
        if (perClass) {
            if (store.get(DATABASE, TestDatabase.class) == null) {
                throw new TestkitException("perClass() needs the extension in a static field "
                        + "(@RegisterExtension static HeroesDatabaseExtension ...)");
            }
            return;
        }
        store.put(DATABASE, databasesFor(context).create());
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
                || (type == DedicatedServer.class && dedicatedSettings != null);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == DedicatedServer.class) {
            return context.getStore(NAMESPACE).get(SERVER, DedicatedServer.class);
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

    private TestDatabases databasesFor(ExtensionContext context) {
        DedicatedServer server = context.getStore(NAMESPACE).get(SERVER, DedicatedServer.class);
        return server != null ? server.databases() : databases.get();
    }

    /** Drops what this level created: the database, then the dedicated server. */
    private void close(ExtensionContext context, boolean classLevel) {
        ExtensionContext.Store store = context.getStore(NAMESPACE);
        if (classLevel == perClass) {
            TestDatabase database = store.remove(DATABASE, TestDatabase.class);
            if (database != null) {
                database.close();
            }
        }
        DedicatedServer server = store.remove(SERVER, DedicatedServer.class);
        if (server != null) {
            server.close();
        }
    }
}
