package org.heroesinwaiting.server.runtime;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.DatabaseSettings;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.server.backup.PhysicalBackups;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.embedded.EmbeddedDatabase;
import org.heroesinwaiting.server.embedded.EmbeddedManagedCluster;
import org.heroesinwaiting.sql.LoginPasswords;
import org.postgresql.Driver;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database a command works on: the embedded one in the data dir (attached to when {@code serve}
 * runs it, else started), or the one {@code HEROES_DATABASE_URL} names, with the logins of the
 * configuration.
 */
public final class DatabaseTarget implements AutoCloseable {

    private final String jdbcUrl;
    private final ServerConfig config;
    private final EmbeddedDatabase embedded;
    private final PhysicalBackups.Plan physicalPlan;
    private final boolean serving;
    private PhysicalBackups physical;
    private EmbeddedManagedCluster managed;

    private DatabaseTarget(String jdbcUrl, ServerConfig config, EmbeddedDatabase embedded, PhysicalBackups.Plan physicalPlan,
            boolean serving) {
        this.jdbcUrl = jdbcUrl;
        this.config = config;
        this.embedded = embedded;
        this.physicalPlan = physicalPlan;
        this.serving = serving;
    }

    /**
     * For {@code serve}: starts the embedded database (refusing a data dir another server uses),
     * or takes the configured URL.
     *
     * @param config the configuration
     * @return the target
     */
    public static DatabaseTarget forServe(ServerConfig config) {
        PhysicalBackups.Plan plan = PhysicalBackups.plan(config, config.embeddedDatabase(), ServerLibrary.tools(config));
        if (config.embeddedDatabase()) {
            EmbeddedDatabase database = EmbeddedDatabase.start(config.dataDir(), plan.archiveSettings());
            return new DatabaseTarget(database.jdbcUrl(), config, database, plan, true);
        }
        return new DatabaseTarget(config.database().url().orElseThrow(), config, null, plan, true);
    }

    /**
     * For the other commands: the running embedded database, else a new one, or the configured URL.
     *
     * @param config the configuration
     * @return the target
     */
    public static DatabaseTarget forCommand(ServerConfig config) {
        PhysicalBackups.Plan plan = PhysicalBackups.plan(config, config.embeddedDatabase(), ServerLibrary.tools(config));
        if (config.embeddedDatabase()) {
            EmbeddedDatabase database = EmbeddedDatabase.attachOrStart(config.dataDir(), plan.archiveSettings());
            return new DatabaseTarget(database.jdbcUrl(), config, database, plan, false);
        }
        return new DatabaseTarget(config.database().url().orElseThrow(), config, null, plan, false);
    }

    /**
     * Physical backups, set up on first use: for {@code serve} the stanza is created and checked,
     * for a command the one {@code serve} created is used.
     *
     * @return on with the stanza, or off saying why
     */
    public synchronized PhysicalBackups physical() {
        if (physical == null) {
            physical = physicalPlan.setUp(backupTarget(), serving);
        }
        return physical;
    }

    /**
     * @return the embedded cluster this command started, as a live cluster an in-place recovery may
     *     stop and start again; empty for a database of one's own, or while {@code serve} runs the
     *     embedded one
     */
    public synchronized Optional<EmbeddedManagedCluster> managedCluster() {
        if (!isEmbedded() || !embedded.ownsCluster()) {
            return Optional.empty();
        }
        if (managed == null) {
            managed = new EmbeddedManagedCluster(embedded, config.dataDir(), physicalPlan.archiveSettings());
        }
        return Optional.of(managed);
    }

    /** @return what was decided before the database started: whether pgBackRest is installed, and its archive_command */
    public PhysicalBackups.Plan physicalPlan() {
        return physicalPlan;
    }

    /** @return whether it is the embedded database */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** @return the JDBC URL of the application database */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** @return the application login's settings, for a pool */
    public DatabaseSettings app() {
        return DatabaseSettings.of(jdbcUrl, appUser(), isEmbedded() ? embedded.secrets().logins().app() : config.database().password());
    }

    /** @return the owner, for migrations */
    public DataSource owner() {
        return isEmbedded()
                ? embedded.dataSource(config.database().ownerUser(), embedded.secrets().logins().owner())
                : dataSource(jdbcUrl, config.database().ownerUser(), config.database().ownerPassword());
    }

    /**
     * @return the owner, for upkeep only a table's owner may do (VACUUM and ANALYZE after a large
     *     retention run): always on the embedded database, else when {@code HEROES_OWNER_PASSWORD} is set
     */
    public Optional<DataSource> maintenance() {
        return isEmbedded() || !config.database().ownerPassword().isEmpty() ? Optional.of(owner()) : Optional.empty();
    }

    /** @return the superuser, for the bootstrap and the logins */
    public DataSource superuser() {
        return isEmbedded()
                ? embedded.superuser()
                : dataSource(jdbcUrl, config.database().superuser(), config.database().superuserPassword());
    }

    /** @return the database as pg_dump reads it: the backup login ({@code HEROES_BACKUP_USER}) and its password */
    public BackupTarget backupTarget() {
        return BackupTarget.of(jdbcUrl, config.backup().user(),
                isEmbedded() ? embedded.secrets().logins().backup() : config.backup().password());
    }

    /**
     * @return the superuser restores and drills run as: the embedded database's, or {@code
     *     HEROES_SUPERUSER} on the host and port of the URL
     */
    public ClusterLogin clusterLogin() {
        BackupTarget where = BackupTarget.of(jdbcUrl, "-", "");
        return isEmbedded()
                ? new ClusterLogin(where.host(), where.port(), "postgres", embedded.secrets().superuser())
                : new ClusterLogin(where.host(), where.port(), config.database().superuser(), config.database().superuserPassword());
    }

    /**
     * Creates the database when it does not exist (connecting to the server's {@code postgres}
     * database as the superuser), as {@code createdb} would.
     *
     * @return whether it was created
     */
    public boolean createDatabaseIfMissing() {
        if (isEmbedded()) {
            return false; // the embedded start creates it
        }
        Properties parsed = Driver.parseURL(jdbcUrl, null);
        if (parsed == null) {
            throw new StartupException("HEROES_DATABASE_URL is not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        String name = parsed.getProperty("PGDBNAME");
        String maintenance = jdbcUrl.replaceFirst("/" + java.util.regex.Pattern.quote(name) + "(\\?|$)", "/postgres$1");
        try (Connection connection = dataSource(maintenance, config.database().superuser(), config.database().superuserPassword())
                .getConnection();
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
            }
            return true;
        } catch (SQLException e) {
            throw new StartupException("cannot create the database " + name + " as " + config.database().superuser() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The passwords {@code db create-users} sets: the embedded database's own, or those of the
     * environment (a blank one keeps the login's current password).
     *
     * @param prompt asks for a password the environment lacks; may answer {@code null}
     * @return the passwords
     */
    public LoginPasswords passwords(PasswordPrompt prompt) {
        if (isEmbedded()) {
            return embedded.secrets().logins();
        }
        ServerConfig.Database database = config.database();
        return new LoginPasswords(
                orPrompt(database.ownerPassword(), "HEROES_OWNER_PASSWORD", "heroes_owner", prompt),
                orPrompt(database.password(), "HEROES_DATABASE_PASSWORD", "heroes_app", prompt),
                orPrompt(database.readonlyPassword(), "HEROES_READONLY_PASSWORD", "heroes_readonly", prompt),
                orPrompt(config.backup().password(), "HEROES_BACKUP_PASSWORD", "heroes_backup", prompt),
                orPrompt(database.analyticsPassword(), "HEROES_ANALYTICS_PASSWORD", "heroes_analytics", prompt));
    }

    /** Asks for a password interactively. */
    @FunctionalInterface
    public interface PasswordPrompt {
        /**
         * @param login the login
         * @param variable the environment variable that would have given it
         * @return the password, or {@code null} to keep the current one
         */
        String ask(String login, String variable);
    }

    /** Stops the embedded database if this target started it. */
    @Override
    public synchronized void close() {
        if (managed != null) {
            managed.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    private String appUser() {
        return config.database().user();
    }

    private static String orPrompt(String value, String variable, String login, PasswordPrompt prompt) {
        if (value != null && !value.isEmpty()) {
            return value;
        }
        String answer = prompt.ask(login, variable);
        return answer == null || answer.isEmpty() ? null : answer;
    }

    private static DataSource dataSource(String url, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(user);
        if (password != null && !password.isEmpty()) {
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName("heroes-in-waiting");
        return dataSource;
    }
}
