package org.heroesinwaiting.sql;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.ValidateResult;

/**
 * Installs and upgrades the Heroes in Waiting schema from the SQL files of the {@code sql} module,
 * the same files a DBA runs with psql. This is the only place that configures Flyway.
 *
 * <p>Three steps, each with the login it needs:
 *
 * <pre>{@code
 * HeroesDatabase.bootstrap(superuser);                       // extensions, roles (once per database)
 * HeroesDatabase.createUsers(superuser, LoginPasswords.none()
 *         .withOwner(ownerPassword).withApp(appPassword));    // the logins (re-runnable)
 * HeroesDatabase.migrate(owner);                              // the schema, as heroes_owner
 * }</pre>
 *
 * <p>A database installed with psql ({@code sql/database_schema.sql}) records its migrations in the
 * same history table, so this class can migrate it further, and psql can continue a database this
 * class installed.
 */
public final class HeroesDatabase {

    /** The login that owns every object and runs migrations. */
    public static final String OWNER = "heroes_owner";

    /** The table in which both the psql path and Flyway record applied migrations. */
    public static final String HISTORY_TABLE = "flyway_schema_history";

    private static final String RESOURCE_ROOT = "org/heroesinwaiting/sql/";
    private static final String MIGRATIONS = RESOURCE_ROOT + "migrations";
    private static final Pattern MIGRATION_NAME = Pattern.compile("V\\d{3}__[a-z0-9_]+\\.sql");
    private static final int MINIMUM_SERVER_VERSION = 150000;

    private HeroesDatabase() {
    }

    /**
     * Runs {@code sql/bootstrap.sql} in the database the data source points at. Needs a superuser;
     * re-running it is harmless.
     *
     * @param superuser a data source logging in as a superuser to the target database
     * @return what the database now has
     * @throws UnableToBootstrapException when the login is no superuser, the server is older than
     *     PostgreSQL 15, or a statement fails
     */
    public static BootstrapResult bootstrap(DataSource superuser) {
        requireNonNull(superuser, "superuser");
        String script = resource("bootstrap.sql");
        try (Connection connection = superuser.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(script);
            return new BootstrapResult(
                    queryString(connection, "SELECT current_database()"),
                    queryString(connection, "SELECT current_setting('server_version')"),
                    queryStrings(connection,
                            "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname"),
                    queryStrings(connection,
                            "SELECT rolname FROM pg_roles WHERE rolname IN "
                                    + "('application_role', 'readonly_role', 'backup_role', 'analytics_role', 'heroes_owner') "
                                    + "ORDER BY rolname"));
        } catch (SQLException e) {
            throw new UnableToBootstrapException("bootstrap failed: " + e.getMessage(), e);
        }
    }

    /**
     * Creates or corrects the logins of DESIGN.md section 3 by calling the procedure that
     * {@code sql/create_users.sql} calls, with the passwords as bind parameters. Needs a superuser
     * and a bootstrapped database.
     *
     * @param superuser a data source logging in as a superuser
     * @param passwords the passwords to set; a {@code null} one keeps the login's current password
     * @return the logins and which of them got a new password
     * @throws UnableToBootstrapException when the bootstrap is missing or a password is refused
     */
    public static CreateUsersResult createUsers(DataSource superuser, LoginPasswords passwords) {
        requireNonNull(superuser, "superuser");
        requireNonNull(passwords, "passwords");
        try (Connection connection = superuser.getConnection()) {
            connection.setAutoCommit(true);
            if (!exists(connection, "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                    + "WHERE n.nspname = 'heroes_admin' AND p.proname = 'create_users'")) {
                throw new UnableToBootstrapException(
                        "heroes_admin.create_users() is missing: run the bootstrap in this database first", null);
            }
            try (CallableStatement call = connection.prepareCall("CALL heroes_admin.create_users(?, ?, ?, ?, ?)")) {
                call.setString(1, passwords.owner());
                call.setString(2, passwords.app());
                call.setString(3, passwords.readonly());
                call.setString(4, passwords.backup());
                call.setString(5, passwords.analytics());
                call.execute();
            }
            return new CreateUsersResult(LoginPasswords.LOGINS, passwords.loginsWithPassword());
        } catch (SQLException e) {
            throw new UnableToBootstrapException("creating the logins failed: " + e.getMessage(), e);
        }
    }

    /**
     * Applies every pending migration, each in its own transaction, as {@value #OWNER}.
     *
     * <p>Migrations that psql applied ({@code sql/database_schema.sql}) are in the history without
     * a checksum; they are adopted (their checksums filled in) when every difference Flyway finds is
     * of that kind, and refused otherwise.
     *
     * @param owner a data source logging in as {@value #OWNER} to a bootstrapped database
     * @return the versions before and after, and what was applied
     * @throws UnableToMigrateException when the login is wrong, the bootstrap is missing, or a
     *     migration fails (it is rolled back whole)
     */
    public static MigrationResult migrate(DataSource owner) {
        requireNonNull(owner, "owner");
        int adopted;
        try (Connection connection = owner.getConnection()) {
            checkMigrationLogin(connection);
            adopted = countPsqlAppliedMigrations(connection);
        } catch (SQLException e) {
            throw new UnableToMigrateException("cannot inspect the database before migrating: " + e.getMessage(), e);
        }
        try {
            if (adopted > 0) {
                adoptPsqlHistory(owner);
            }
            MigrateResult result = flyway(owner).migrate();
            List<String> applied = result.migrations.stream()
                    .map(m -> "V" + m.version + " " + m.description)
                    .toList();
            return new MigrationResult(
                    result.database,
                    result.initialSchemaVersion,
                    result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
                    applied,
                    adopted);
        } catch (FlywayException e) {
            throw new UnableToMigrateException("migration failed: " + e.getMessage(), e);
        }
    }

    /**
     * The names of the migration files this version of the library carries, in order
     * ({@code V001__base.sql}, ...).
     *
     * @return the file names, sorted by version
     */
    public static List<String> migrationScripts() {
        return MigrationFiles.NAMES;
    }

    /**
     * A digest of the bootstrap and every migration file: two databases built by libraries with
     * the same fingerprint have the same schema. The testkit names its template databases by it.
     *
     * @return 64 lower-case hexadecimal characters (SHA-256)
     */
    public static String schemaFingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(resource("bootstrap.sql").getBytes(StandardCharsets.UTF_8));
            for (String name : migrationScripts()) {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update(resource("migrations/" + name).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Flyway flyway(DataSource owner) {
        return configuration(owner).load();
    }

    private static FluentConfiguration configuration(DataSource owner) {
        return Flyway.configure(HeroesDatabase.class.getClassLoader())
                .dataSource(owner)
                .locations("classpath:" + MIGRATIONS)
                .defaultSchema("public")
                .table(HISTORY_TABLE)
                .placeholderReplacement(false)
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                // The bootstrap leaves extensions in public; that state is "version 0".
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("bootstrap");
    }

    private static void checkMigrationLogin(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT r.rolsuper,
                       current_user::text,
                       pg_get_userbyid(d.datdba)::text,
                       current_setting('server_version_num')::int,
                       current_setting('server_version')
                  FROM pg_roles r, pg_database d
                 WHERE r.rolname = current_user AND d.datname = current_database()
                """);
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            if (rs.getInt(4) < MINIMUM_SERVER_VERSION) {
                throw new UnableToMigrateException("Heroes in Waiting needs PostgreSQL 15 or later; this server is "
                        + rs.getString(5), null);
            }
            if (rs.getBoolean(1)) {
                throw new UnableToMigrateException("refusing to migrate as superuser " + rs.getString(2)
                        + ": objects would be owned by it; migrate as " + OWNER, null);
            }
            if (!OWNER.equals(rs.getString(2)) || !OWNER.equals(rs.getString(3))) {
                throw new UnableToMigrateException("migrate as " + OWNER + ", the owner of the database (logged in as "
                        + rs.getString(2) + ", database owned by " + rs.getString(3)
                        + "); run the bootstrap as a superuser first", null);
            }
        }
    }

    private static int countPsqlAppliedMigrations(Connection connection) throws SQLException {
        if (!exists(connection, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = '" + HISTORY_TABLE + "'")) {
            return 0;
        }
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM public." + HISTORY_TABLE
                        + " WHERE type = 'SQL' AND success AND checksum IS NULL")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * psql records no checksum. Flyway's repair fills them in, but it would also accept an edited
     * migration, so it runs only when a validation that tolerates pending migrations is clean.
     */
    private static void adoptPsqlHistory(DataSource owner) {
        ValidateResult validation = configuration(owner).ignoreMigrationPatterns("*:pending").load().validateWithResult();
        if (!validation.validationSuccessful) {
            throw new UnableToMigrateException("the migration history does not match the migration files: "
                    + validation.getAllErrorMessages(), null);
        }
        flyway(owner).repair();
    }

    private static boolean exists(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next();
        }
    }

    private static String queryString(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static List<String> queryStrings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return List.copyOf(values);
    }

    static String resource(String name) {
        try (InputStream in = HeroesDatabase.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE_ROOT + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lists the migration files once, from a directory or from the heroes-sql jar. */
    private static final class MigrationFiles {
        static final List<String> NAMES = scan();

        private static List<String> scan() {
            URL url = HeroesDatabase.class.getClassLoader().getResource(MIGRATIONS);
            if (url == null) {
                throw new IllegalStateException(MIGRATIONS + " is missing from the classpath");
            }
            Set<String> names = new TreeSet<>();
            try {
                if (url.openConnection() instanceof JarURLConnection jar) {
                    // Opening through the connection also works for jars inside jars (a fat jar's
                    // own URL handler), where the URL's path is no file name.
                    jar.setUseCaches(false);
                    try (JarFile file = jar.getJarFile()) {
                        file.stream()
                                .map(JarEntry::getName)
                                .filter(entry -> entry.startsWith(MIGRATIONS + "/"))
                                .map(entry -> entry.substring(MIGRATIONS.length() + 1))
                                .filter(entry -> !entry.isEmpty() && !entry.contains("/"))
                                .forEach(names::add);
                    }
                } else {
                    try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
                        files.map(file -> file.getFileName().toString()).forEach(names::add);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
            for (String name : names) {
                if (!MIGRATION_NAME.matcher(name).matches()) {
                    throw new IllegalStateException("unexpected file in " + MIGRATIONS + ": " + name
                            + " (migrations are named like V001__what.sql)");
                }
            }
            return Collections.unmodifiableList(new ArrayList<>(names));
        }
    }
}
