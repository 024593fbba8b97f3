package org.heroesinwaiting.server.backup;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.core.tools.ToolNotFoundException;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.retention.backup.BackupKeyring;
import org.heroesinwaiting.retention.backup.BackupKeysException;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.physical.PgBackRest;
import org.heroesinwaiting.retention.physical.PgBackRestConfig;
import org.heroesinwaiting.retention.physical.PhysicalBackupException;
import org.heroesinwaiting.server.config.ConfigurationException;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.secrets.SecretFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the server takes physical backups and archives WAL through pgBackRest, and the stanza it
 * does so with. Decided in two steps: {@link #plan} before the database starts (is pgBackRest
 * installed, and which {@code archive_command} the embedded cluster starts with), then {@link
 * Plan#setUp} once it runs (the stanza's configuration from what the server says of itself, {@code
 * stanza-create} and {@code check}). Off, it says why and what to install; the logical backups work
 * either way.
 *
 * <p>The stanza's configuration is {@code <data dir>/pgbackrest/pgbackrest.conf}, its repository
 * {@code <backup dir>/pgbackrest}, encrypted when {@code HEROES_BACKUP_KEYS} is set. pgBackRest connects
 * as the backup login over the server's Unix socket, its password in pgBackRest's environment.
 */
public final class PhysicalBackups {

    /** The stanza's name. */
    public static final String STANZA = "heroes";
    /** How often an idle database still closes its WAL segment, so that it is archived. */
    public static final String ARCHIVE_TIMEOUT = "60";

    private static final Logger LOG = LoggerFactory.getLogger(PhysicalBackups.class);

    private final Optional<PgBackRest> pgBackRest;
    private final String state;

    private PhysicalBackups(Optional<PgBackRest> pgBackRest, String state) {
        this.pgBackRest = pgBackRest;
        this.state = state;
    }

    /** @return the stanza, when physical backups are on */
    public Optional<PgBackRest> pgBackRest() {
        return pgBackRest;
    }

    /** @return what {@code /health} says: on with the stanza, or off and why */
    public String state() {
        return state;
    }

    /**
     * @param why why physical backups are off
     * @return physical backups off
     */
    public static PhysicalBackups off(String why) {
        return new PhysicalBackups(Optional.empty(), requireNonNull(why, "why"));
    }

    /**
     * Decides before the database starts.
     *
     * @param config {@code HEROES_PHYSICAL_BACKUPS}, the data and backup dirs
     * @param embedded whether the database is the embedded one
     * @param tools where {@code pgbackrest} is found
     * @return the plan
     * @throws ConfigurationException when {@code HEROES_PHYSICAL_BACKUPS=on} and pgBackRest is not installed
     */
    public static Plan plan(ServerConfig config, boolean embedded, ExternalTools tools) {
        String mode = config.backup().physical();
        if (mode.equals("off")) {
            return new Plan(Optional.empty(), "off (HEROES_PHYSICAL_BACKUPS=off)", config);
        }
        if (mode.equals("auto") && !embedded) {
            return new Plan(Optional.empty(), "off: on a server of your own, set its archive_command to what ./heroes backup"
                    + " archive-command prints, then HEROES_PHYSICAL_BACKUPS=on", config);
        }
        try {
            return new Plan(Optional.of(tools.program("pgbackrest", "pgbackrest")), "", config);
        } catch (ToolNotFoundException e) {
            if (mode.equals("on")) {
                throw new ConfigurationException("HEROES_PHYSICAL_BACKUPS", "is on, but " + e.getMessage());
            }
            return new Plan(Optional.empty(), "off: pgBackRest is not installed (Debian: apt-get install pgbackrest); point-in-time"
                    + " recovery and the daily backups need it, the logical backups work without", config);
        }
    }

    /**
     * What was decided before the database started.
     *
     * @param program {@code pgbackrest}, when physical backups are to be on
     * @param off why they are off, when they are
     * @param config the configuration
     */
    public record Plan(Optional<Path> program, String off, ServerConfig config) {

        /** @return the folder of the stanza's configuration file and its log, lock and spool folders */
        public Path work() {
            return config.dataDir().resolve("pgbackrest");
        }

        /** @return the repository */
        public Path repository() {
            return config.backup().dir().resolve("pgbackrest");
        }

        /** @return the {@code archive_command} that pushes each WAL segment through pgBackRest, when on */
        public Optional<String> archiveCommand() {
            // archive-push needs only the configuration file's path and the stanza, known before the cluster runs
            return program.map(path -> new PgBackRest(path, config(Path.of("/"), 5432, Path.of("/tmp"), "postgres", "postgres"))
                    .archiveCommand());
        }

        /**
         * @return the settings the embedded cluster starts with: archiving through pgBackRest with
         *     {@code archive_timeout} 60 s, or none when off
         */
        public Map<String, String> archiveSettings() {
            // the embedded library passes settings through pg_ctl -o, which a shell parses: the command is quoted whole
            return archiveCommand().map(command -> Map.of("archive_mode", "on", "archive_timeout", ARCHIVE_TIMEOUT,
                    "archive_command", "'" + command + "'")).orElse(Map.of());
        }

        /**
         * Once the database runs: the stanza's configuration from what the server says of itself
         * (its data directory and socket, read as the backup login), then, when asked, {@code
         * stanza-create} and {@code check} (a WAL segment switched now reaches the repository).
         *
         * @param target the database and the backup login
         * @param create whether to create and check the stanza ({@code serve}), or only to use it (a command)
         * @return physical backups on, or off saying why
         */
        public PhysicalBackups setUp(BackupTarget target, boolean create) {
            if (program.isEmpty()) {
                return PhysicalBackups.off(off);
            }
            if (!create && !Files.exists(work().resolve("pgbackrest.conf"))) {
                return PhysicalBackups.off("off: the stanza is not set up yet (./heroes serve creates it)");
            }
            try {
                PgBackRestConfig stanza = encrypted(describe(target));
                PgBackRest pgBackRest = new PgBackRest(program.get(), stanza).withPassword(target.password());
                if (create) {
                    pgBackRest.stanzaCreate();
                    pgBackRest.check();
                }
                LOG.info("physical backups on: pgBackRest stanza {} of {}, repository {}", STANZA, stanza.dataDirectory(),
                        stanza.repository());
                return new PhysicalBackups(Optional.of(pgBackRest), "on: pgBackRest stanza " + STANZA + ", repository "
                        + stanza.repository());
            } catch (PhysicalBackupException | SQLException | BackupKeysException | IOException e) {
                String why = e instanceof SQLException sql ? SqlStates.message(sql) : e.getMessage();
                LOG.warn("physical backups off: {}", why);
                return PhysicalBackups.off("off: pgBackRest could not be set up: " + why);
            }
        }

        /**
         * With {@code HEROES_BACKUP_KEYS}, the repository is encrypted with a passphrase derived from
         * the key that was active when it was created (its id kept in {@code <work>/repository-key}):
         * pgBackRest cannot re-key a repository, so a later active key does not change it.
         */
        private PgBackRestConfig encrypted(PgBackRestConfig stanza) throws IOException {
            if (config.backup().keys().isEmpty()) {
                return stanza;
            }
            BackupKeyring keys = BackupKeyring.read(config.backup().keys().get());
            Path chosen = work().resolve("repository-key");
            String id = Files.exists(chosen) ? Files.readString(chosen).strip() : keys.activeId();
            String passphrase = keys.derivedSecret(id, "pgbackrest-repository").orElseThrow(() -> new BackupKeysException(
                    "the pgBackRest repository is encrypted with the key " + id + ", which HEROES_BACKUP_KEYS no longer holds"));
            if (!Files.exists(chosen)) {
                Files.createDirectories(work());
                SecretFiles.write(chosen, id + "\n");
            }
            return stanza.withCipherPass(passphrase);
        }

        private PgBackRestConfig describe(BackupTarget target) throws SQLException {
            try (Connection connection = target.connect("heroes-in-waiting"); Statement sql = connection.createStatement();
                    ResultSet rs = sql.executeQuery(
                            "SELECT current_setting('data_directory'), split_part(current_setting('unix_socket_directories'), ',', 1)")) {
                rs.next();
                String socket = rs.getString(2).strip();
                return config(Path.of(rs.getString(1)), target.port(), Path.of(socket.isEmpty() ? "/tmp" : socket), target.user(),
                        target.database());
            }
        }

        private PgBackRestConfig config(Path dataDirectory, int port, Path socket, String user, String database) {
            return new PgBackRestConfig(STANZA, repository(), work(), dataDirectory, port, socket, user, database);
        }
    }
}
