package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupBusyException;
import org.heroesinwaiting.retention.backup.BackupCatalog;
import org.heroesinwaiting.retention.backup.BackupCipher;
import org.heroesinwaiting.retention.backup.BackupFile;
import org.heroesinwaiting.retention.backup.BackupFormat;
import org.heroesinwaiting.retention.backup.BackupKeyring;
import org.heroesinwaiting.retention.backup.BackupKeysException;
import org.heroesinwaiting.retention.backup.BackupRecord;
import org.heroesinwaiting.retention.backup.HoldingSession;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves backups by restoring them, and restores them, with the real {@code pg_restore} (or
 * {@code psql} for the plain format) and {@code pg_amcheck}, as a superuser of the cluster
 * ({@link ClusterLogin}). Every restore and drill is recorded in {@code recovery_log}, step by step.
 */
public final class RestoreService {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreService.class);
    private static final Pattern DATABASE_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
    private static final int OUTPUT_KEPT = 2000;

    private final TransactionRunner catalog;
    private final BackupCatalog backups;
    private final ClusterLogin superuser;
    private final ExternalTools tools;
    private final Optional<BackupKeyring> keys;
    private volatile String catalogDatabase;

    /**
     * @param catalog transactions on the application login, which reads the catalog and records restores
     * @param superuser the cluster's superuser that restores run as
     * @param tools where pg_restore, psql and pg_amcheck are found
     */
    public RestoreService(TransactionRunner catalog, ClusterLogin superuser, ExternalTools tools) {
        this(catalog, superuser, tools, Optional.empty());
    }

    private RestoreService(TransactionRunner catalog, ClusterLogin superuser, ExternalTools tools, Optional<BackupKeyring> keys) {
        this.catalog = requireNonNull(catalog, "catalog");
        this.backups = new BackupCatalog(catalog);
        this.superuser = requireNonNull(superuser, "superuser");
        this.tools = requireNonNull(tools, "tools");
        this.keys = requireNonNull(keys, "keys");
    }

    /**
     * @param keyring the keys ({@code HEROES_BACKUP_KEYS}) that encrypted backups were made with
     * @return this service, decrypting encrypted backups with them
     */
    public RestoreService withKeys(BackupKeyring keyring) {
        return new RestoreService(catalog, superuser, tools, Optional.of(keyring));
    }

    /**
     * Verifies a backup: rechecks each file's SHA-256, reads its contents ({@code pg_restore
     * --list}, or the whole gzip stream), then drills a restore into a scratch database, compares
     * every table's rows with those counted at backup time, runs {@code pg_amcheck} on it and
     * drops it. The outcome is recorded on the backup ({@code backup_log.verification}). One
     * verification runs at a time across instances; each first drops the scratch databases that
     * drills whose process died left behind.
     *
     * @param backupId a backup that succeeded
     * @return what it found; {@code passed()} is false when anything differs, each finding saying where
     * @throws InvalidValueException when there is no such backup, or it did not succeed
     * @throws BackupBusyException when another verification is running (nothing is recorded)
     */
    public Verification verify(long backupId) {
        BackupRecord backup = succeeded(backupId);
        String scratch = scratchName("heroes_drill_", backupId);
        return drill(backup, scratch, hold("drill", backupId, scratch, null, null, true));
    }

    /**
     * Starts verifying a backup on the executor, as {@link #verify} does. Its drill's row exists
     * when this returns.
     *
     * @param backupId a backup that succeeded
     * @param executor where the verification runs
     * @return the drill's row and the verification to come
     * @throws InvalidValueException when there is no such backup, or it did not succeed
     * @throws BackupBusyException when another verification is running (nothing is recorded)
     * @throws RestoreFailedException when the executor refuses the work (the drill's row records it)
     */
    public StartedVerification startVerification(long backupId, Executor executor) {
        requireNonNull(executor, "executor");
        BackupRecord backup = succeeded(backupId);
        String scratch = scratchName("heroes_drill_", backupId);
        HoldingSession held = hold("drill", backupId, scratch, null, null, true);
        CompletableFuture<Verification> result;
        try {
            result = CompletableFuture.supplyAsync(() -> drill(backup, scratch, held), executor);
        } catch (RejectedExecutionException e) {
            finish(held, "refused by its executor (shutting down?)", null);
            throw new RestoreFailedException("the verification of backup " + backupId + " was refused by its executor (shutting down?)", e);
        }
        return new StartedVerification(backupId, held.id(), result);
    }

    private Verification drill(BackupRecord backup, String scratch, HoldingSession held) {
        long backupId = backup.id();
        long recovery = held.id();
        long started = System.nanoTime();
        List<String> findings = new ArrayList<>();
        int compared = 0;
        String error = null;
        try {
            dropAbandonedDrills();
        } catch (SQLException e) {
            LOG.warn("could not drop the scratch databases of abandoned drills: {}", SqlStates.message(e));
        }
        try {
            for (BackupFile file : backup.files()) {
                String actual = sha256(file.path());
                if (!actual.equals(file.sha256())) {
                    findings.add(file.path() + ": SHA-256 is " + actual + ", the catalog recorded " + file.sha256()
                            + " (the file changed after it was written)");
                }
            }
            step(recovery, "checksum", findings.isEmpty() ? "every file matches its SHA-256" : String.join("; ", findings));
            if (findings.isEmpty()) {
                readable(backup).ifPresent(findings::add);
                step(recovery, "contents", findings.isEmpty() ? "readable" : findings.get(findings.size() - 1));
            }
            if (findings.isEmpty()) {
                createDatabase(scratch);
                try {
                    restoreInto(backup, scratch);
                    step(recovery, "restore", "restored into " + scratch);
                    List<String> differences = compareRows(backup, scratch);
                    compared = backup.tableRows().size() - differences.size();
                    findings.addAll(differences);
                    step(recovery, "rows", differences.isEmpty() ? compared + " tables hold the rows counted at backup time"
                            : String.join("; ", differences));
                    amcheck(scratch).ifPresent(findings::add);
                    step(recovery, "amcheck", findings.isEmpty() ? "pg_amcheck found nothing" : "pg_amcheck: see findings");
                } finally {
                    dropDatabase(scratch);
                    step(recovery, "drop", "dropped " + scratch);
                }
            }
        } catch (IOException | SQLException | RuntimeException e) {
            error = SqlStates.message(e);
            findings.add("the drill failed: " + error);
        }
        boolean passed = findings.isEmpty();
        String detail = passed ? "checksum, contents, restore, " + compared + " tables' rows and pg_amcheck passed" : String.join("; ", findings);
        String outcome = passed ? null : (error == null ? detail : error);
        long bytes = backup.files().stream().mapToLong(BackupFile::sizeBytes).sum();
        held.finish(() -> {
            call(dao -> dao.verified(backupId, passed, detail));
            call(dao -> dao.finished(recovery, outcome, bytes));
        });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("backup {} verified in {} ms: {}", backupId, took.toMillis(), passed ? "passed" : detail);
        return new Verification(backupId, recovery, passed, findings, compared, took);
    }

    /**
     * Restores a backup into a new database, which must not exist yet: a restore never writes over
     * a database.
     *
     * @param backupId a backup that succeeded
     * @param database the new database's name (lower case letters, digits and _)
     * @return what was restored, and how fast
     * @throws InvalidValueException when there is no such backup, the name is not a plain name, or the database exists
     * @throws RestoreFailedException when the restore failed or the rows differ from those counted at backup time
     */
    public RestoreResult restore(long backupId, String database) {
        requireNonNull(database, "database");
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new InvalidValueException("a database to restore into is named with lower case letters, digits and _ (at most 63), not "
                    + database);
        }
        BackupRecord backup = succeeded(backupId);
        long started = System.nanoTime();
        long bytes = backup.files().stream().mapToLong(BackupFile::sizeBytes).sum();
        try {
            createDatabase(database);
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                throw new InvalidValueException("the database " + database + " exists: a restore never writes over a database;"
                        + " name a new one", e);
            }
            throw new RestoreFailedException("cannot create " + database + ": " + SqlStates.message(e), e);
        }
        HoldingSession held = hold("full", backupId, database, null, null, false);
        long recovery = held.id();
        try {
            step(recovery, "create", "created " + database);
            restoreInto(backup, database);
            step(recovery, "restore", "restored " + bytes + " bytes");
            List<String> differences = compareRows(backup, database);
            if (!differences.isEmpty()) {
                throw new IOException("the restored rows differ from the backup's: " + String.join("; ", differences));
            }
            step(recovery, "rows", backup.tableRows().size() + " tables hold the rows counted at backup time");
            finish(held, null, bytes);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("backup {} restored into {} in {} ms", backupId, database, took.toMillis());
            return new RestoreResult(backupId, recovery, database, backup.tableRows().size(), bytes, took);
        } catch (IOException | SQLException | RuntimeException e) {
            String why = SqlStates.message(e);
            finishQuietly(held, why, e);
            throw new RestoreFailedException("restoring backup " + backupId + " into " + database + " failed (the database is left"
                    + " as it is, for a look; drop it when done): " + why, e);
        }
    }

    /**
     * Restores chosen tables of a backup into the live database, in one transaction: the backup is
     * restored into a scratch database, the tables' rows copied from it, and applied as the mode
     * says, parents before children. Foreign keys are checked as any write's are; a change that
     * would reach a table not named (a cascade, a SET NULL) undoes the whole restore and names that
     * table. The audit log records every row changed, with the request id {@code recovery-<id>}.
     *
     * @param backupId a backup that succeeded
     * @param tables tables of the {@code public} schema the backup holds ({@code student_feedback})
     * @param mode replace the tables' rows, or add only those missing
     * @return the rows added, set back and deleted, per table
     * @throws InvalidValueException when there is no such backup, or it does not hold a table named
     * @throws RestoreFailedException when the restore failed; the live database is as it was
     */
    public TableRestoreResult restoreTables(long backupId, List<String> tables, TableRestoreMode mode) {
        requireNonNull(tables, "tables");
        requireNonNull(mode, "mode");
        BackupRecord backup = succeeded(backupId);
        if (tables.isEmpty()) {
            throw new InvalidValueException("name at least one table to restore");
        }
        for (String table : tables) {
            if (table == null || !DATABASE_NAME.matcher(table).matches() || !backup.tableRows().containsKey("public." + table)) {
                throw new InvalidValueException("backup " + backupId + " holds no table public." + table);
            }
        }
        long started = System.nanoTime();
        String live = catalogDatabase();
        HoldingSession held = hold("tables", backupId, live, tables.toArray(String[]::new), mode.wireName(), false);
        return restoreTables(held, backup, tables, mode, started);
    }

    /**
     * Executes a logical table restore requested with {@code initiate_recovery('table_restore',
     * backup_log_id, NULL, tables)}: the request's own row records it.
     *
     * @param request the request, {@code tables} kind, still requested
     * @return the rows added, set back and deleted, per table
     * @throws InvalidValueException when it is not a logical table restore waiting to run
     * @throws RestoreFailedException when the restore failed; the live database is as it was
     */
    public TableRestoreResult executeTables(RecoveryRequest request) {
        if (!request.kind().equals("tables") || request.backupId().isEmpty()) {
            throw new InvalidValueException("recovery " + request.id() + " is a " + request.kind() + ", not a table restore from a logical backup");
        }
        BackupRecord backup = succeeded(request.backupId().get());
        long started = System.nanoTime();
        HoldingSession held;
        try {
            held = HoldingSession.start(superuserConnection(catalogDatabase()), "SELECT id FROM app.recovery_take(?)", List.of(request.id()));
        } catch (SQLException e) {
            if (SqlStates.has(e, SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE)) {
                throw new RecoveryNotWaitingException(SqlStates.message(e), e);
            }
            throw new RestoreFailedException("cannot take recovery " + request.id() + ": " + SqlStates.message(e), e);
        }
        return restoreTables(held, backup, request.tables(), request.mode().orElse(TableRestoreMode.REPLACE), started);
    }

    private TableRestoreResult restoreTables(HoldingSession held, BackupRecord backup, List<String> tables, TableRestoreMode mode, long started) {
        long backupId = backup.id();
        String live = catalogDatabase();
        long recovery = held.id();
        String scratch = scratchName("heroes_tables_", backupId);
        Path copies = null;
        try {
            createDatabase(scratch);
            copies = Files.createTempDirectory("heroes-restore", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            restoreInto(backup, scratch);
            step(recovery, "restore", "restored backup " + backupId + " into " + scratch);
            Map<String, Path> rows = new LinkedHashMap<>();
            try (Connection source = connect(scratch)) {
                CopyManager copy = source.unwrap(PGConnection.class).getCopyAPI();
                for (String table : tables) {
                    Path file = copies.resolve(table + ".copy");
                    try (OutputStream out = Files.newOutputStream(file)) {
                        copy.copyOut("COPY public." + table + " TO STDOUT (FORMAT binary)", out);
                    }
                    rows.put(table, file);
                }
            }
            step(recovery, "copy", "copied " + String.join(", ", tables) + " from " + scratch);
            TableRestoreResult result;
            try (Connection connection = connect(live)) {
                result = TableChanges.apply(connection, rows, mode, backupId, recovery, started);
            }
            step(recovery, "apply", "added " + result.inserted() + ", set back " + result.updated() + ", deleted " + result.deleted());
            finish(held, null, backup.files().stream().mapToLong(BackupFile::sizeBytes).sum());
            LOG.info("backup {}: tables {} restored ({}) in {} ms", backupId, tables, mode.wireName(), result.took().toMillis());
            return result;
        } catch (IOException | SQLException | RuntimeException e) {
            String why = SqlStates.message(e);
            finishQuietly(held, why, e);
            throw new RestoreFailedException("restoring " + tables + " from backup " + backupId + " failed; the live database is as it was: "
                    + why, e);
        } finally {
            try {
                dropDatabase(scratch);
            } catch (SQLException e) {
                LOG.warn("could not drop the scratch database {}: {}", scratch, e.getMessage());
            }
            deleteTree(copies);
        }
    }

    private static void deleteTree(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not remove {}: {}", folder, e.getMessage());
        }
    }

    private BackupRecord succeeded(long backupId) {
        BackupRecord backup = backups.find(backupId)
                .orElseThrow(() -> new InvalidValueException("there is no backup " + backupId));
        if (!backup.status().equals("succeeded")) {
            throw new InvalidValueException("backup " + backupId + " is " + backup.status() + ": only a backup that succeeded can be restored");
        }
        return backup;
    }

    /** @return a finding when the contents cannot be read whole (every encrypted chunk authenticated) */
    private Optional<String> readable(BackupRecord backup) throws IOException {
        for (BackupFile file : backup.files()) {
            try {
                if (backup.format() == BackupFormat.CUSTOM) {
                    boolean sealed = backup.keyId().isPresent();
                    List<String> command = new ArrayList<>(List.of(pgRestore(backup).toString(), "--list"));
                    if (sealed) {
                        try (InputStream in = open(backup, file, false)) {
                            in.transferTo(OutputStream.nullOutputStream()); // every chunk's tag, before pg_restore sees a byte
                        }
                    } else {
                        command.add(file.path().toString());
                    }
                    Outcome list = run(command, sealed ? () -> open(backup, file, false) : null);
                    if (list.exit() != 0) {
                        return Optional.of(file.path() + ": pg_restore cannot list it: " + list.output().strip());
                    }
                } else {
                    try (InputStream in = open(backup, file, true)) {
                        in.transferTo(OutputStream.nullOutputStream());
                    }
                }
            } catch (IOException e) {
                return Optional.of(file.path() + ": " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void restoreInto(BackupRecord backup, String database) throws IOException {
        for (BackupFile file : backup.files()) {
            Outcome outcome;
            List<String> connection = List.of("--no-password", "--host=" + superuser.host(), "--port=" + superuser.port(),
                    "--username=" + superuser.user(), "--dbname=" + database);
            if (backup.format() == BackupFormat.CUSTOM) {
                List<String> command = new ArrayList<>(List.of(pgRestore(backup).toString(), "--exit-on-error"));
                command.addAll(connection);
                boolean sealed = backup.keyId().isPresent();
                if (!sealed) {
                    command.add(file.path().toString());
                }
                outcome = run(command, sealed ? () -> open(backup, file, false) : null);
            } else {
                List<String> command = new ArrayList<>(List.of(tools.postgres("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1"));
                command.addAll(connection);
                outcome = run(command, () -> open(backup, file, true));
            }
            if (outcome.exit() != 0) {
                throw new IOException("restoring " + file.path() + " failed (exit " + outcome.exit() + "): " + outcome.output().strip());
            }
        }
    }

    /**
     * @return pg_restore at least as recent as the server the backup was taken from (its pg_dump
     *     was at least that recent, and an older pg_restore cannot read a newer archive)
     */
    private Path pgRestore(BackupRecord backup) {
        OptionalInt major = backup.serverMajor();
        return major.isPresent() ? tools.postgres("pg_restore", major.getAsInt()) : tools.postgres("pg_restore");
    }

    /** A backup file's plain bytes: decrypted when it is encrypted, then gunzipped when asked. */
    private InputStream open(BackupRecord backup, BackupFile file, boolean gunzip) throws IOException {
        InputStream in = Files.newInputStream(file.path());
        if (backup.keyId().isPresent()) {
            if (keys.isEmpty()) {
                in.close();
                throw new BackupKeysException("backup " + backup.id() + " is encrypted with the key " + backup.keyId().get()
                        + ": set HEROES_BACKUP_KEYS to a keyring that holds it");
            }
            in = BackupCipher.decrypt(in, keys.get());
        }
        return gunzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** @return each table whose rows differ from those counted at backup time, with both counts */
    private List<String> compareRows(BackupRecord backup, String database) throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Connection connection = connect(database); Statement sql = connection.createStatement()) {
            for (Map.Entry<String, Long> table : backup.tableRows().entrySet()) {
                try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM ONLY " + quoteQualified(table.getKey()))) {
                    rs.next();
                    if (rs.getLong(1) != table.getValue()) {
                        differences.add(table.getKey() + ": " + rs.getLong(1) + " rows restored, " + table.getValue() + " at backup time");
                    }
                } catch (SQLException e) {
                    if (!"42P01".equals(e.getSQLState())) {
                        throw e;
                    }
                    differences.add(table.getKey() + ": missing from the restore");
                }
            }
        }
        return differences;
    }

    private Optional<String> amcheck(String database) throws IOException {
        Outcome outcome = run(List.of(tools.postgres("pg_amcheck").toString(), "--install-missing", "--no-password", "--host=" + superuser.host(),
                "--port=" + superuser.port(), "--username=" + superuser.user(), "--database=" + database), null);
        return outcome.exit() == 0 ? Optional.empty()
                : Optional.of("pg_amcheck found corruption (exit " + outcome.exit() + "): " + outcome.output().strip());
    }

    /**
     * @return a connection as the configured login, which must be a superuser: drills and restores
     *     create databases, restore extensions and run pg_amcheck
     * @throws RestoreFailedException when it is not one, saying what to configure
     */
    private Connection superuserConnection(String database) throws SQLException {
        Connection connection = connect(database);
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")) {
            if (rs.next() && rs.getBoolean(1)) {
                return connection;
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        connection.close();
        throw new RestoreFailedException(superuser.user() + " is not a superuser of the cluster: restores and restore drills create"
                + " databases, restore extensions and run pg_amcheck, which need one (set HEROES_SUPERUSER to the superuser of"
                + " heroes db bootstrap)", null);
    }

    private void createDatabase(String database) throws SQLException {
        try (Connection connection = superuserConnection("postgres"); Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE " + quote(database));
        }
    }

    private void dropDatabase(String database) throws SQLException {
        try (Connection connection = connect("postgres"); Statement sql = connection.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + quote(database) + " WITH (FORCE)");
        }
    }

    private Connection connect(String database) throws SQLException {
        return superuser.connect(database, "heroes-restore");
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code schema.table} as recorded ({@code format('%I.%I')}): already quoted where it needs to be. */
    private static String quoteQualified(String recorded) {
        if (!recorded.matches("^(\"([^\"]|\"\")+\"|[a-z_][a-z0-9_$]*)\\.(\"([^\"]|\"\")+\"|[a-z_][a-z0-9_$]*)$")) {
            throw new IllegalStateException("backup_log holds a table name that is not schema.table: " + recorded);
        }
        return recorded;
    }

    private record Outcome(int exit, String output) {
    }

    /** Where a program's standard input comes from. */
    @FunctionalInterface
    private interface Input {
        InputStream open() throws IOException;
    }

    /** Runs a program as the superuser, its password in the environment, its standard input from {@code input} when given. */
    private Outcome run(List<String> command, Input input) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", superuser.password());
        builder.environment().put("PGAPPNAME", "heroes-restore");
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process process = builder.start();
        ExecutorService feeder = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "heroes-restore-input");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<?> fed = input == null ? null : feeder.submit(() -> {
                OutputStream program = process.getOutputStream();
                try (InputStream in = input.open()) {
                    ProgramInput.feed(in, program);
                } catch (IOException | RuntimeException e) {
                    ProgramInput.closeQuietly(program); // the input failed, even to open: the program must not wait for it
                    throw e;
                }
                return null;
            });
            byte[] output = process.getInputStream().readAllBytes();
            int exit = process.waitFor();
            if (fed != null) {
                try {
                    fed.get();
                } catch (ExecutionException e) {
                    // the input's failure: a program that stopped reading (one that failed, and one that had
                    // read all it needs) ends the feed without one, and its exit status judges it; the
                    // contents were authenticated before (readable) or are judged after (row counts)
                    throw new IOException("feeding " + command.get(0) + " failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            String text = new String(output, StandardCharsets.UTF_8);
            return new Outcome(exit, text.length() <= OUTPUT_KEPT ? text : text.substring(text.length() - OUTPUT_KEPT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command.get(0), e);
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
            feeder.shutdownNow();
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String scratchName(String prefix, long backupId) {
        return prefix + backupId + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return the catalog's database, where restores are held and table restores write */
    private String catalogDatabase() {
        String known = catalogDatabase;
        if (known == null) {
            known = call(RecoveryDao::database);
            catalogDatabase = known;
        }
        return known;
    }

    /**
     * Begins a restore's row in {@code recovery_log}, held by a superuser session of the catalog's
     * database until it is final ({@code app.recovery_start}; a restore whose process dies is then
     * marked failed by {@code app.backups_reap()}).
     */
    private HoldingSession hold(String kind, long backupId, String target, String[] tables, String mode, boolean alone) {
        try {
            return HoldingSession.start(superuserConnection(catalogDatabase()), "SELECT app.recovery_start(?, ?, ?, ?, ?, ?)",
                    Arrays.asList(kind, backupId, target, tables, mode, alone));
        } catch (SQLException e) {
            throw new RestoreFailedException("cannot begin the " + kind + " of backup " + backupId + " as " + superuser.user() + ": "
                    + SqlStates.message(e), e);
        }
    }

    /** Records the held restore's outcome ({@code error} null when it succeeded), then ends the hold. */
    private void finish(HoldingSession held, String error, Long restoredBytes) {
        held.finish(() -> call(dao -> dao.finished(held.id(), error, restoredBytes)));
    }

    private void finishQuietly(HoldingSession held, String error, Exception failure) {
        try {
            finish(held, error, null);
        } catch (RuntimeException recording) {
            failure.addSuppressed(recording);
        }
    }

    /**
     * Drops the scratch databases of drills that no longer run (a drill whose process died leaves
     * its scratch database behind; its row was marked failed when its hold ended).
     */
    private void dropAbandonedDrills() throws SQLException {
        List<String> scratches = new ArrayList<>();
        try (Connection connection = connect("postgres"); Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'heroes\\_drill\\_%' ORDER BY 1")) {
            while (rs.next()) {
                scratches.add(rs.getString(1));
            }
        }
        if (scratches.isEmpty()) {
            return;
        }
        List<String> running = call(dao -> dao.runningTargets());
        for (String scratch : scratches) {
            if (!running.contains(scratch)) {
                LOG.info("dropping {}, left by a drill that no longer runs", scratch);
                dropDatabase(scratch);
            }
        }
    }

    private void step(long recovery, String step, String detail) {
        call(dao -> dao.step(recovery, step, detail));
    }

    private <T> T call(Function<RecoveryDao, T> work) {
        return catalog.selfContained(handle -> work.apply(handle.attach(RecoveryDao.class)));
    }
}
