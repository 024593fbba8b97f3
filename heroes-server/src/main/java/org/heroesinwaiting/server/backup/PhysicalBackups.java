package org.heroesinwaiting.server.backup;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.core.tools.Folders;
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
 * {@code <backup dir>/pgbackrest}, encrypted when {@code HEROES_BACKUP_KEYS} is set; a new active
 * key starts a new repository, and the older ones retire. pgBackRest connects
 * as the backup login over the server's Unix socket, its password in pgBackRest's environment.
 */
public final class PhysicalBackups {

    /** The stanza's name. */
    public static final String STANZA = "heroes";
    /** How often an idle database still closes its WAL segment, so that it is archived. */
    public static final String ARCHIVE_TIMEOUT = "60";

    private static final Logger LOG = LoggerFactory.getLogger(PhysicalBackups.class);
    /** The key id of a repository that is not encrypted, in {@code <work>/repositories}. */
    private static final String UNENCRYPTED = "-";

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
                PgBackRestConfig stanza = encrypted(describe(target), create);
                PgBackRest pgBackRest = new PgBackRest(program.get(), stanza).withPassword(target.password());
                if (create) {
                    pgBackRest.stanzaCreate();
                    pgBackRest.check();
                }
                String retiring = stanza.retiring().isEmpty() ? "" : " (" + stanza.retiring().size() + " older, retiring: "
                        + stanza.retiring().stream().map(older -> older.path().toString()).collect(Collectors.joining(", ")) + ")";
                LOG.info("physical backups on: pgBackRest stanza {} of {}, repository {}{}", STANZA, stanza.dataDirectory(),
                        stanza.repository(), retiring);
                return new PhysicalBackups(Optional.of(pgBackRest), "on: pgBackRest stanza " + STANZA + ", repository "
                        + stanza.repository() + retiring);
            } catch (PhysicalBackupException | SQLException | BackupKeysException | IOException e) {
                String why = e instanceof SQLException sql ? SqlStates.message(sql) : e.getMessage();
                LOG.warn("physical backups off: {}", why);
                return PhysicalBackups.off("off: pgBackRest could not be set up: " + why);
            }
        }

        /**
         * The repositories, one per key, newest first ({@code <work>/repositories}, a line {@code
         * <key id> <folder>} each; {@code -} for one not encrypted). With {@code HEROES_BACKUP_KEYS},
         * the current repository is encrypted with a passphrase derived from the active key.
         * pgBackRest cannot re-key a repository, so when the active key changes, {@code serve} starts
         * a new repository, {@code <backup dir>/pgbackrest-<key id>} (its first daily is a full), and
         * the older ones retire: still restored from, verified and archived into, until the weekly
         * cleanup releases one in which the catalog keeps no backup. The first repository is
         * {@code <backup dir>/pgbackrest}; an older installation's {@code repository-key} names its
         * key.
         *
         * @param create whether a changed active key starts a new repository ({@code serve}); a
         *     command only uses the repositories as they are
         */
        private PgBackRestConfig encrypted(PgBackRestConfig stanza, boolean create) throws IOException {
            Optional<BackupKeyring> keys = config.backup().keys().map(BackupKeyring::read);
            Path list = work().resolve("repositories");
            List<String[]> repositories = new ArrayList<>();
            if (Files.exists(list)) {
                for (String line : Files.readAllLines(list)) {
                    String[] entry = line.strip().split("\\s+", 2);
                    if (entry.length == 2) {
                        repositories.add(entry);
                    }
                }
            } else if (Files.exists(work().resolve("repository-key"))) {
                repositories.add(new String[] {Files.readString(work().resolve("repository-key")).strip(), repository().toString()});
            } else if (Files.exists(repository().resolve("backup"))) {
                repositories.add(new String[] {UNENCRYPTED, repository().toString()}); // made before the keyring was set
            }
            String wanted = keys.map(BackupKeyring::activeId).orElse(UNENCRYPTED);
            boolean changed = false;
            // a retiring repository whose folder is marked released was released by a cleanup (PhysicalBackupService.cleanup):
            // its folder goes, a deletion cut short included. A folder that is merely missing (an unmounted volume) is kept:
            // pgBackRest then says what is wrong, and nothing is forgotten
            for (String[] older : List.copyOf(repositories.subList(Math.min(1, repositories.size()), repositories.size()))) {
                Path folder = Path.of(older[1]);
                if (Files.exists(folder.resolve(PgBackRest.RELEASED))) {
                    repositories.remove(older);
                    changed = true;
                    LOG.info("physical backups: the retiring repository {} (key {}) was released", older[1], older[0]);
                    Folders.delete(folder);
                }
            }
            if (repositories.isEmpty()) {
                repositories.add(new String[] {wanted, repository().toString()});
                changed = true;
            } else if (!repositories.get(0)[0].equals(wanted)) {
                if (keys.isEmpty()) {
                    throw new BackupKeysException("the pgBackRest repository " + repositories.get(0)[1] + " is encrypted with the key "
                            + repositories.get(0)[0] + ", and HEROES_BACKUP_KEYS is not set");
                }
                if (create) {
                    String[] again = repositories.stream().filter(entry -> entry[0].equals(wanted)).findFirst().orElse(null);
                    repositories.remove(again);
                    repositories.add(0, again != null ? again
                            : new String[] {wanted, config.backup().dir().resolve("pgbackrest-" + wanted).toString()});
                    changed = true;
                    LOG.info("physical backups: the active key is now {}, so a new pgBackRest repository {} takes the backups; {} older"
                            + " repositories retire", wanted, repositories.get(0)[1], repositories.size() - 1);
                }
            }
            if (changed) {
                Files.createDirectories(work());
                StringBuilder text = new StringBuilder();
                repositories.forEach(entry -> text.append(entry[0]).append(' ').append(entry[1]).append('\n'));
                SecretFiles.write(list, text.toString());
                Files.deleteIfExists(work().resolve("repository-key"));
            }
            List<PgBackRestConfig.Retiring> retiring = new ArrayList<>();
            for (String[] older : repositories.subList(1, repositories.size())) {
                retiring.add(new PgBackRestConfig.Retiring(Path.of(older[1]), passphrase(keys, older)));
            }
            PgBackRestConfig current = new PgBackRestConfig(stanza.stanza(), Path.of(repositories.get(0)[1]), stanza.work(),
                    stanza.dataDirectory(), stanza.port(), stanza.socketDirectory(), stanza.user(), stanza.database());
            Optional<String> pass = passphrase(keys, repositories.get(0));
            return (pass.isPresent() ? current.withCipherPass(pass.get()) : current).withRetiring(retiring);
        }

        /** The passphrase of a repository encrypted with a key of the keyring, derived from it (the key itself never leaves). */
        private static Optional<String> passphrase(Optional<BackupKeyring> keys, String[] repository) {
            if (repository[0].equals(UNENCRYPTED)) {
                return Optional.empty();
            }
            return Optional.of(keys.flatMap(ring -> ring.derivedSecret(repository[0], "pgbackrest-repository")).orElseThrow(
                    () -> new BackupKeysException("the pgBackRest repository " + repository[1] + " is encrypted with the key " + repository[0]
                            + ", which HEROES_BACKUP_KEYS no longer holds (keep a key until the weekly cleanup releases its repository)")));
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
