package org.heroesinwaiting.retention.physical;

import static java.util.Objects.requireNonNull;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.core.tools.Folders;
import org.heroesinwaiting.core.tools.ToolNotFoundException;

/**
 * Runs the real {@code pgbackrest} for one stanza, every path explicit ({@link PgBackRestConfig}),
 * and reads what it says: the label of a new backup, the JSON of {@code info}, and the findings of
 * {@code verify}, which exits 0 even when it finds a corrupt file, so its output is read too.
 */
public final class PgBackRest {

    private static final Pattern NEW_LABEL = Pattern.compile("new backup label = (\\S+)");
    private static final Pattern RESTORED_SET = Pattern.compile("restore backup set ([0-9]{8}-[0-9]{6}F(?:_[0-9]{8}-[0-9]{6}[DI])?)");
    private static final Pattern ANNOTATION = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final int OUTPUT_KEPT = 4000;
    /** Statuses of {@code info} that mean a repository's stanza could not be read: missing path, missing data, other. */
    private static final java.util.Set<Integer> UNREADABLE = java.util.Set.of(1, 3, 99);
    /**
     * The file a released repository's folder holds, alone once the release is done: a folder with
     * it is no repository any more ({@link #release}).
     */
    public static final String RELEASED = ".released";
    /** The stanza's status when its repositories' differ. */
    private static final int MIXED = 4;

    private final Path program;
    private final Optional<String> password;
    /** Replaced when a retiring repository is released ({@link #release}); each command reads it once. */
    private volatile PgBackRestConfig config;

    /**
     * @param program the {@code pgbackrest} program
     * @param config the stanza's paths
     */
    public PgBackRest(Path program, PgBackRestConfig config) {
        this(program, config, Optional.empty());
    }

    private PgBackRest(Path program, PgBackRestConfig config, Optional<String> password) {
        this.program = requireNonNull(program, "program");
        this.config = requireNonNull(config, "config");
        this.password = requireNonNull(password, "password");
    }

    /**
     * @param password the password of {@code pg1-user}, given to pgBackRest's libpq in its
     *     environment ({@code PGPASSWORD}), never on its command line or in its configuration file
     * @return this pgBackRest, logging in with it
     */
    public PgBackRest withPassword(String password) {
        return new PgBackRest(program, config, Optional.of(requireNonNull(password, "password")));
    }

    /**
     * @param tools where programs are found
     * @param config the stanza's paths
     * @return pgBackRest for the stanza
     * @throws ToolNotFoundException when {@code pgbackrest} is not installed, naming Debian's package
     */
    public static PgBackRest find(ExternalTools tools, PgBackRestConfig config) {
        return new PgBackRest(tools.program("pgbackrest", "pgbackrest"), config);
    }

    /** @return the stanza's paths (without the retiring repositories released since it was made) */
    public PgBackRestConfig config() {
        return config;
    }

    /**
     * Releases a retiring repository: drops it from the configuration file, marks its folder
     * ({@link #RELEASED}), then deletes everything in it, every backup and WAL segment; the folder
     * stays with its mark (whoever keeps the list of repositories removes it). The current
     * repository is never released.
     *
     * @param repository the folder of one of {@link PgBackRestConfig#retiring}
     * @throws IllegalArgumentException when it is not a retiring repository of this stanza
     * @throws PhysicalBackupException when the configuration cannot be rewritten or the folder deleted
     */
    public synchronized void release(Path repository) {
        PgBackRestConfig before = config;
        Path folder = repository.toAbsolutePath().normalize();
        List<PgBackRestConfig.Retiring> left = before.retiring().stream().filter(older -> !older.path().equals(folder)).toList();
        if (left.size() == before.retiring().size()) {
            throw new IllegalArgumentException(folder + " is not a retiring repository of stanza " + before.stanza() + ": "
                    + before.retiring());
        }
        PgBackRestConfig after = before.withRetiring(left);
        try {
            after.write();
            config = after;
            // marked first: a deletion cut short leaves a folder its owner knows to finish deleting, not a repository; the
            // mark stays, so that a folder that is merely missing (an unmounted volume) is never taken for a released one
            Files.writeString(folder.resolve(RELEASED), "released from stanza " + before.stanza() + "\n");
            try (var entries = Files.list(folder)) {
                for (Path entry : entries.filter(entry -> !entry.getFileName().toString().equals(RELEASED)).toList()) {
                    Folders.delete(entry);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new PhysicalBackupException("cannot release the repository " + folder + ": " + e.getMessage(), -1, e);
        }
    }

    /**
     * @return the {@code archive_command} that pushes each WAL segment into the repository (for a
     *     server started through {@code pg_ctl -o}, which a shell parses, quote it whole)
     */
    public String archiveCommand() {
        // quiet on the console: run by the embedded server with console output on, every archive-push failed (segments
        // stayed unarchived until check's timeout); its own log file (log-path) still has it all
        return program + " --config=" + config.file() + " --stanza=" + config.stanza() + " --log-level-console=off --log-level-stderr=error"
                + " archive-push %p";
    }

    /**
     * Writes the configuration and creates the stanza (again harmlessly when it exists).
     *
     * @throws PhysicalBackupException when pgBackRest refuses
     */
    public void stanzaCreate() {
        try {
            config.write();
        } catch (IOException e) {
            throw new PhysicalBackupException("cannot write " + config.file() + ": " + e.getMessage(), -1, e);
        }
        run(List.of("stanza-create"));
    }

    /**
     * {@code pgbackrest check}: the configuration, and that a WAL segment switched now reaches the
     * repository (within {@code archive-timeout}, 60 s by default).
     *
     * @throws PhysicalBackupException when it does not (error 82: not archived in time)
     */
    public void check() {
        run(List.of("check"));
    }

    /**
     * Takes a physical backup.
     *
     * @param type {@code full}, {@code diff} or {@code incr}
     * @param annotations tags kept with the backup ({@code class=weekly}), which {@code info} shows
     * @return the new backup's label
     * @throws PhysicalBackupException when pgBackRest fails
     */
    public String backup(String type, Map<String, String> annotations) {
        if (!List.of("full", "diff", "incr").contains(type)) {
            throw new IllegalArgumentException("a physical backup is full, diff or incr, not " + type);
        }
        List<String> arguments = new ArrayList<>(List.of("--type=" + type));
        annotations.forEach((key, value) -> {
            if (!ANNOTATION.matcher(key).matches() || !ANNOTATION.matcher(value).matches()) {
                throw new IllegalArgumentException("an annotation is key=value of letters, digits, _ . and -, not " + key + "=" + value);
            }
            arguments.add("--annotation=" + key + "=" + value);
        });
        // the catalog expires by its own classes (expire --set); the configuration's time retention is only a far cap
        if (!config.retiring().isEmpty()) {
            arguments.add("--repo=1"); // a new backup always goes to the current repository
        }
        arguments.add("backup");
        String output = run(arguments);
        Matcher label = NEW_LABEL.matcher(output);
        if (!label.find()) {
            throw new PhysicalBackupException("pgbackrest backup succeeded but named no new backup: " + tail(output), 0, null);
        }
        return label.group(1);
    }

    /**
     * Expires one backup, and with it every backup that builds on it ({@code expire --set}), and
     * the WAL no backup left needs.
     *
     * @param label the backup's label
     * @throws PhysicalBackupException when pgBackRest refuses (it never expires the newest backup)
     */
    public void expire(String label) {
        if (!label.matches("^[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}[DI])?$")) {
            throw new IllegalArgumentException("a pgBackRest label is like 20261204-194512F or 20261204-194512F_20261205-030012D, not " + label);
        }
        run(List.of("--set=" + label, "expire"));
    }

    /**
     * Restores the cluster as it was at a moment into a new, empty data directory, to be started
     * there ({@code restore --type=time --target-action=promote}): pgBackRest picks the newest
     * backup that ended before the moment (in the first repository that holds one), and the
     * restored cluster fetches the WAL after it from the repositories as it starts. Its archiving
     * is off ({@code --archive-mode=off}): a copy's WAL must never reach the repository.
     *
     * @param into an empty directory (0700), the copy's data directory
     * @param target the moment
     * @return the label of the backup it restored
     * @throws PhysicalBackupException when pgBackRest refuses (no backup ended before the moment)
     */
    public String restoreToTime(Path into, Instant target) {
        String moment = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").format(target.atOffset(ZoneOffset.UTC));
        String output = run(List.of("--pg1-path=" + into.toAbsolutePath(), "--type=time", "--target=" + moment, "--target-action=promote",
                "--archive-mode=off", "--log-level-console=info", "restore"));
        Matcher set = RESTORED_SET.matcher(output);
        if (!set.find()) {
            throw new PhysicalBackupException("pgbackrest restore succeeded but named no backup set: " + tail(output), 0, null);
        }
        return set.group(1);
    }

    /**
     * Restores one backup as it was when it ended (consistent, no WAL replayed past it: {@code
     * --type=immediate --target-action=promote}) into a new, empty data directory, archiving off.
     * The backup may be in a retiring repository: pgBackRest looks for it in each.
     *
     * @param into an empty directory (0700)
     * @param label the backup's label
     * @throws PhysicalBackupException when pgBackRest refuses
     */
    public void restoreBackup(Path into, String label) {
        if (!label.matches("^[0-9]{8}-[0-9]{6}F(_[0-9]{8}-[0-9]{6}[DI])?$")) {
            throw new IllegalArgumentException("a pgBackRest label is like 20261204-194512F, not " + label);
        }
        run(List.of("--pg1-path=" + into.toAbsolutePath(), "--set=" + label, "--type=immediate", "--target-action=promote",
                "--archive-mode=off", "restore"));
    }

    /**
     * Fetches one WAL segment from the repository, as a restore would ({@code archive-get}).
     *
     * @param segment the segment's name ({@code 000000010000000000000003})
     * @param into where to write it
     * @throws PhysicalBackupException when the repository does not hold it whole
     */
    public void archiveGet(String segment, Path into) {
        if (!segment.matches("^[0-9A-F]{24}$")) {
            throw new IllegalArgumentException("a WAL segment is named by 24 hexadecimal digits, not " + segment);
        }
        run(List.of("archive-get", segment, into.toAbsolutePath().toString()));
    }

    /**
     * @return the stanza's backups and archive range
     * @throws PhysicalBackupException when pgBackRest fails, its JSON cannot be read, or the stanza
     *     cannot be read (a wrong repository passphrase does either)
     */
    public PgBackRestInfo info() {
        String output = run(List.of("--output=json", "info"), false);
        try {
            JsonArray stanzas = Json.createReader(new StringReader(output)).readArray();
            JsonObject stanza = stanzas.stream().map(JsonValue::asJsonObject)
                    .filter(s -> s.getString("name", "").equals(config.stanza())).findFirst()
                    .orElseThrow(() -> new PhysicalBackupException("pgbackrest info shows no stanza " + config.stanza(), 0, null));
            List<PhysicalBackup> backups = new ArrayList<>();
            for (JsonValue value : stanza.getJsonArray("backup")) {
                backups.add(backup(value.asJsonObject()));
            }
            Optional<String> min = Optional.empty();
            Optional<String> max = Optional.empty();
            for (JsonValue value : stanza.getJsonArray("archive")) {
                JsonObject archive = value.asJsonObject();
                if (archive.get("min") instanceof jakarta.json.JsonString first) {
                    min = min.isEmpty() || first.getString().compareTo(min.get()) < 0 ? Optional.of(first.getString()) : min;
                }
                if (archive.get("max") instanceof jakarta.json.JsonString last) {
                    max = max.isEmpty() || last.getString().compareTo(max.get()) > 0 ? Optional.of(last.getString()) : max;
                }
            }
            JsonObject status = stanza.getJsonObject("status");
            int code = status.getInt("code");
            // with several repositories the stanza's status is "mixed" (4) when theirs differ (a new one holds no backup
            // yet, 2): each repository's own status decides then
            List<JsonObject> statuses = new ArrayList<>();
            if (code == MIXED && stanza.get("repo") instanceof JsonArray repositories) {
                repositories.forEach(repository -> statuses.add(repository.asJsonObject().getJsonObject("status")));
            } else {
                statuses.add(status);
            }
            for (JsonObject each : statuses) {
                if (UNREADABLE.contains(each.getInt("code"))) {
                    throw new PhysicalBackupException("pgbackrest info cannot read the stanza (status " + each.getInt("code") + ", "
                            + each.getString("message") + "; a wrong repository passphrase does this): " + tail(printable(output)),
                            each.getInt("code"), null);
                }
            }
            return new PgBackRestInfo(code, status.getString("message"), backups, min, max);
        } catch (JsonException | ClassCastException | NullPointerException e) {
            throw new PhysicalBackupException("pgbackrest info printed what is not its JSON (a wrong repository passphrase does"
                    + " this): " + tail(printable(output)), 0, e);
        }
    }

    /**
     * {@code pgbackrest verify}: every file of the repository against its checksum. pgBackRest
     * exits 0 even when it finds a corrupt file, so its output is read.
     *
     * @return what it found wrong, each line as pgBackRest says it; empty when the repository is whole
     * @throws PhysicalBackupException when it could not verify at all
     */
    public List<String> verify() {
        int repositories = config.repositories().size();
        List<String> findings = new ArrayList<>();
        // verify reads one repository (2.45): each in turn, a finding of a retiring one named by its index
        for (int index = 1; index <= repositories; index++) {
            String output = run(repositories == 1 ? List.of("--log-level-console=detail", "verify")
                    : List.of("--repo=" + index, "--log-level-console=detail", "verify"));
            for (String line : output.split("\n")) {
                String text = line.strip();
                if (text.contains("invalid") || text.contains("missing") || text.contains("ERROR") || text.contains("WARN")
                        || text.matches(".*\\b[1-9][0-9]* (errors?|invalid)\\b.*")) {
                    findings.add(repositories == 1 || text.contains("repo" + index) ? text : "repo" + index + ": " + text);
                }
            }
        }
        return findings;
    }

    private static PhysicalBackup backup(JsonObject json) {
        JsonObject archive = json.getJsonObject("archive");
        JsonObject lsn = json.getJsonObject("lsn");
        JsonObject timestamp = json.getJsonObject("timestamp");
        JsonObject info = json.getJsonObject("info");
        Map<String, String> annotations = new LinkedHashMap<>();
        if (json.get("annotation") instanceof JsonObject tags) {
            tags.forEach((key, value) -> annotations.put(key, value instanceof jakarta.json.JsonString text ? text.getString() : value.toString()));
        }
        return new PhysicalBackup(json.getString("label"), json.getString("type"),
                json.isNull("prior") ? Optional.empty() : Optional.of(json.getString("prior")),
                archive.getString("start"), archive.getString("stop"), lsn.getString("start"), lsn.getString("stop"),
                Instant.ofEpochSecond(timestamp.getJsonNumber("start").longValue()),
                Instant.ofEpochSecond(timestamp.getJsonNumber("stop").longValue()),
                info.getJsonNumber("size").longValue(), info.getJsonObject("repository").getJsonNumber("delta").longValue(), annotations,
                json.getJsonObject("database").getInt("repo-key", 1));
    }

    private String run(List<String> arguments) {
        return run(arguments, true);
    }

    /** Runs pgBackRest with the stanza's configuration; standard error joins the output when asked. */
    private String run(List<String> arguments, boolean withErrors) {
        PgBackRestConfig current = config;
        List<String> command = new ArrayList<>(List.of(program.toString(), "--config=" + current.file(), "--stanza=" + current.stanza()));
        command.addAll(arguments);
        Path errorFile = null;
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            password.ifPresent(secret -> builder.environment().put("PGPASSWORD", secret));
            if (withErrors) {
                builder.redirectErrorStream(true);
            } else {
                errorFile = Files.createTempFile("heroes-pgbackrest", ".err");
                builder.redirectError(errorFile.toFile());
            }
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                String said = errorFile == null ? output : Files.readString(errorFile, StandardCharsets.UTF_8) + "\n" + output;
                throw new PhysicalBackupException("pgbackrest " + String.join(" ", arguments) + " failed (exit " + exit + "): " + errors(said),
                        exit, null);
            }
            return output;
        } catch (IOException e) {
            throw new PhysicalBackupException("cannot run " + program + ": " + e.getMessage(), -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PhysicalBackupException("interrupted running pgbackrest " + String.join(" ", arguments), -1, e);
        } finally {
            if (errorFile != null) {
                try {
                    Files.deleteIfExists(errorFile);
                } catch (IOException ignored) {
                    // a temporary file of a few bytes; the system's tmp cleaning takes it
                }
            }
        }
    }

    /** @return pgBackRest's ERROR and HINT lines, or the end of its output when it printed none */
    private static String errors(String output) {
        StringBuilder errors = new StringBuilder();
        for (String line : output.split("\n")) {
            String text = line.strip();
            if (text.startsWith("ERROR") || text.startsWith("HINT") || text.contains(" ERROR: ")) {
                errors.append(errors.length() == 0 ? "" : " ").append(text);
            }
        }
        return errors.length() > 0 ? tail(errors.toString()) : tail(output.strip());
    }

    /** @return the text with what is not printable (a file decrypted with a wrong passphrase) shown as '?' */
    private static String printable(String text) {
        return text.replaceAll("[^\\p{Print}\\n\\t]", "?");
    }

    private static String tail(String text) {
        return text.length() <= OUTPUT_KEPT ? text : text.substring(text.length() - OUTPUT_KEPT);
    }
}
