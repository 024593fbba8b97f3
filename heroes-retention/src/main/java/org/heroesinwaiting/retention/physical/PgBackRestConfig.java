package org.heroesinwaiting.retention.physical;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where pgBackRest keeps everything for one cluster, every path explicit (Debian's defaults belong
 * to the {@code postgres} user, and a relative {@code --config} is read against {@code /}): the
 * repository, and under a work folder its configuration file, log, lock and spool folders.
 *
 * @param stanza the stanza's name ({@code heroes})
 * @param repository the repository ({@code <backup root>/pgbackrest})
 * @param work where the configuration file and the log, lock and spool folders live
 * @param dataDirectory the cluster's data directory ({@code pg1-path})
 * @param port the cluster's port
 * @param socketDirectory the folder of its Unix socket ({@code pg1-socket-path})
 * @param user the database role pgBackRest connects as ({@code pg1-user}: a superuser, or {@code heroes_backup})
 * @param database the database it connects to ({@code pg1-database}): the one {@code bootstrap.sql}
 *     granted {@code heroes_backup} the backup functions in (a function's grants are per database)
 * @param safetyCapDays pgBackRest's own time retention ({@code repo1-retention-full-type=time}): a
 *     cap only, far beyond the point-in-time window, for a catalog that stopped expiring; the
 *     catalog's classes expire backups first ({@code expire --set})
 * @param archiveFulls the fulls whose WAL is kept whole ({@code repo1-retention-archive}): WAL older
 *     than the oldest of them is expired except what an older kept backup needs to be consistent
 * @param cipherPass the repository's passphrase ({@code repo1-cipher-type=aes-256-cbc}), when it is
 *     encrypted: written only into the 0600 configuration file, never printed
 * @param retiring older repositories ({@code repo2}, {@code repo3} ...), newest first: pgBackRest
 *     has no re-key, so a new key is a new repository, and the old ones stay readable (restores,
 *     verification, expiry) and keep receiving WAL until no kept backup is left in them
 */
public record PgBackRestConfig(String stanza, Path repository, Path work, Path dataDirectory, int port, Path socketDirectory, String user,
        String database, int safetyCapDays, int archiveFulls, Optional<String> cipherPass, List<Retiring> retiring) {

    /**
     * An older repository, still read and still archived into.
     *
     * @param path its folder
     * @param cipherPass its passphrase, when it is encrypted
     */
    public record Retiring(Path path, Optional<String> cipherPass) {

        public Retiring {
            path = absolute(path, "path");
            requireNonNull(cipherPass, "cipherPass");
            cipherPass.ifPresent(PgBackRestConfig::requirePassphrase);
        }

        /** Never prints the passphrase. */
        @Override
        public String toString() {
            return "Retiring[path=" + path + ", encrypted=" + cipherPass.isPresent() + "]";
        }
    }

    /** The default cap: a year and a month, four times the 90 days of the point-in-time window. */
    public static final int DEFAULT_SAFETY_CAP_DAYS = 400;
    /** The default WAL kept whole: that of the last 15 weekly fulls, the 90-day window and a week either side. */
    public static final int DEFAULT_ARCHIVE_FULLS = 15;

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");

    /** The stanza with the default cap and WAL retention. */
    public PgBackRestConfig(String stanza, Path repository, Path work, Path dataDirectory, int port, Path socketDirectory, String user,
            String database) {
        this(stanza, repository, work, dataDirectory, port, socketDirectory, user, database, DEFAULT_SAFETY_CAP_DAYS, DEFAULT_ARCHIVE_FULLS);
    }

    /** The stanza with its retention, its repository not encrypted. */
    public PgBackRestConfig(String stanza, Path repository, Path work, Path dataDirectory, int port, Path socketDirectory, String user,
            String database, int safetyCapDays, int archiveFulls) {
        this(stanza, repository, work, dataDirectory, port, socketDirectory, user, database, safetyCapDays, archiveFulls, Optional.empty(),
                List.of());
    }

    /**
     * @param passphrase the repository's passphrase (at least 20 characters, no line breaks)
     * @return this configuration, its repository encrypted with it (pgBackRest has no re-key: a new
     *     passphrase is a new repository)
     */
    public PgBackRestConfig withCipherPass(String passphrase) {
        return new PgBackRestConfig(stanza, repository, work, dataDirectory, port, socketDirectory, user, database, safetyCapDays, archiveFulls,
                Optional.of(requirePassphrase(passphrase)), retiring);
    }

    /**
     * @param older older repositories, newest first ({@code repo2}, {@code repo3} ...)
     * @return this configuration with them
     */
    public PgBackRestConfig withRetiring(List<Retiring> older) {
        return new PgBackRestConfig(stanza, repository, work, dataDirectory, port, socketDirectory, user, database, safetyCapDays, archiveFulls,
                cipherPass, older);
    }

    /** @return every repository's folder, by pgBackRest's index: {@code repo1} (the current one) first */
    public List<Path> repositories() {
        List<Path> all = new ArrayList<>();
        all.add(repository);
        retiring.forEach(older -> all.add(older.path()));
        return List.copyOf(all);
    }

    /** Never prints a passphrase. */
    @Override
    public String toString() {
        return "PgBackRestConfig[stanza=" + stanza + ", repository=" + repository + ", work=" + work + ", pg1-path=" + dataDirectory + ", port="
                + port + ", user=" + user + ", database=" + database + ", encrypted=" + cipherPass.isPresent() + ", retiring=" + retiring + "]";
    }

    private static String requirePassphrase(String passphrase) {
        if (passphrase == null || passphrase.length() < 20 || !passphrase.matches("^[A-Za-z0-9_+/=-]+$")) {
            throw new IllegalArgumentException("a repository passphrase is at least 20 characters of letters, digits, _ + / = and -");
        }
        return passphrase;
    }

    public PgBackRestConfig {
        requireNonNull(stanza, "stanza");
        if (!NAME.matcher(stanza).matches()) {
            throw new IllegalArgumentException("a stanza is named with letters, digits, _ and -, not " + stanza);
        }
        repository = absolute(repository, "repository");
        work = absolute(work, "work");
        dataDirectory = absolute(dataDirectory, "dataDirectory");
        socketDirectory = absolute(socketDirectory, "socketDirectory");
        requireNonNull(user, "user");
        if (!NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("pg1-user is a role named with letters, digits, _ and -, not " + user);
        }
        requireNonNull(database, "database");
        if (!database.matches("^[A-Za-z0-9_$-]{1,63}$")) {
            throw new IllegalArgumentException("pg1-database is a database named with letters, digits, _, $ and -, not " + database);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
        if (safetyCapDays < 1 || safetyCapDays > 9999999) {
            throw new IllegalArgumentException("safetyCapDays must be 1 to 9999999, not " + safetyCapDays);
        }
        if (archiveFulls < 1 || archiveFulls > 9999999) {
            throw new IllegalArgumentException("archiveFulls must be 1 to 9999999, not " + archiveFulls);
        }
        requireNonNull(cipherPass, "cipherPass");
        retiring = List.copyOf(requireNonNull(retiring, "retiring"));
        if (retiring.size() > 255) {
            throw new IllegalArgumentException("pgBackRest takes at most 256 repositories, not " + (retiring.size() + 1));
        }
        if (new HashSet<>(repositories(repository, retiring)).size() != retiring.size() + 1) {
            throw new IllegalArgumentException("each repository has a folder of its own: " + repositories(repository, retiring));
        }
    }

    private static List<Path> repositories(Path current, List<Retiring> retiring) {
        List<Path> all = new ArrayList<>(List.of(current));
        retiring.forEach(older -> all.add(older.path()));
        return all;
    }

    /** @return the configuration file, {@code <work>/pgbackrest.conf} */
    public Path file() {
        return work.resolve("pgbackrest.conf");
    }

    /**
     * Writes the configuration file (0600, replaced whole) and makes the repository and the log,
     * lock and spool folders (0700) when missing.
     *
     * @return the file
     * @throws IOException when a folder or the file cannot be written
     */
    public Path write() throws IOException {
        for (Path folder : new Path[] {repository, work, work.resolve("log"), work.resolve("lock"), work.resolve("spool")}) {
            if (!Files.isDirectory(folder)) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        }
        String text = """
                [global]
                repo1-path=%s
                log-path=%s
                lock-path=%s
                spool-path=%s
                log-level-console=info
                log-level-file=info
                start-fast=y
                compress-type=zst
                %s
                [%s]
                pg1-path=%s
                pg1-port=%d
                pg1-socket-path=%s
                pg1-user=%s
                pg1-database=%s
                """.formatted(repository, work.resolve("log"), work.resolve("lock"), work.resolve("spool"), repositorySettings(),
                stanza, dataDirectory, port, socketDirectory, user, database);
        Path partial = Files.createTempFile(work, ".pgbackrest", ".conf", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, text);
        return Files.move(partial, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Each repository's retention and cipher, {@code repo1} first; the paths of repo2 and later too. */
    private String repositorySettings() {
        StringBuilder settings = new StringBuilder();
        List<Optional<String>> ciphers = new ArrayList<>(List.of(cipherPass));
        retiring.forEach(older -> ciphers.add(older.cipherPass()));
        List<Path> all = repositories();
        for (int index = 1; index <= all.size(); index++) {
            String repo = "repo" + index;
            if (index > 1) {
                settings.append(repo).append("-path=").append(all.get(index - 1)).append('\n');
            }
            settings.append(repo).append("-retention-full-type=time\n").append(repo).append("-retention-full=").append(safetyCapDays)
                    .append('\n').append(repo).append("-retention-archive-type=full\n").append(repo).append("-retention-archive=")
                    .append(archiveFulls).append('\n');
            ciphers.get(index - 1).ifPresent(pass -> settings.append(repo).append("-cipher-type=aes-256-cbc\n").append(repo)
                    .append("-cipher-pass=").append(pass).append('\n'));
        }
        return settings.toString();
    }

    private static Path absolute(Path path, String what) {
        requireNonNull(path, what);
        return path.toAbsolutePath().normalize();
    }
}
