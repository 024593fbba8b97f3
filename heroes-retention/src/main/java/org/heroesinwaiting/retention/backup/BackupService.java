package org.heroesinwaiting.retention.backup;

import static java.util.Objects.requireNonNull;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.core.tools.ToolNotFoundException;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes logical backups with the real {@code pg_dump} and records each in {@code backup_log}.
 *
 * <p>A backup, in order:
 * <ol>
 * <li>its row in {@code backup_log} ({@code running}), with the class and expiry of the schedule
 * that makes it;</li>
 * <li>a repeatable-read transaction as the backup login exports its snapshot; {@code pg_dump
 * --snapshot} dumps exactly that snapshot while the same transaction counts every table's rows,
 * so a restore can be compared with the database as it was at that instant;</li>
 * <li>the dump streams into a hidden temporary file ({@code .<name>.partial}, 0600) while its
 * SHA-256 is computed; it is fsynced, renamed to its name, and the folder fsynced;</li>
 * <li>the row becomes {@code succeeded}, with its files, checksums, snapshot and row counts.</li>
 * </ol>
 * Any failure on the way (pg_dump's exit status, a killed pg_dump, a full disk) deletes the
 * temporary file and records the row as {@code failed} with what went wrong: no file that looks
 * like a backup is ever left of a failed one.
 */
public final class BackupService {

    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss").withZone(ZoneOffset.UTC);
    private static final int STDERR_KEPT = 4000;

    private final TransactionRunner catalog;
    private final BackupTarget target;
    private final Path root;
    private final ExternalTools tools;
    private final Clock clock;
    private final Optional<BackupKeyring> keys;

    /**
     * @param catalog transactions on the application login, which records backups through the catalog's functions
     * @param target the database and the backup login pg_dump reads it as
     * @param root the backup root ({@code HEROES_BACKUP_DIR}); made 0700 when missing
     * @param tools where pg_dump is found
     * @param clock names the files
     */
    public BackupService(TransactionRunner catalog, BackupTarget target, Path root, ExternalTools tools, Clock clock) {
        this(catalog, target, root, tools, clock, Optional.empty());
    }

    private BackupService(TransactionRunner catalog, BackupTarget target, Path root, ExternalTools tools, Clock clock,
            Optional<BackupKeyring> keys) {
        this.catalog = requireNonNull(catalog, "catalog");
        this.target = requireNonNull(target, "target");
        this.root = requireNonNull(root, "root");
        this.tools = requireNonNull(tools, "tools");
        this.clock = requireNonNull(clock, "clock");
        this.keys = requireNonNull(keys, "keys");
    }

    /**
     * @param keyring the keys ({@code HEROES_BACKUP_KEYS}); its first encrypts
     * @return this service, encrypting every backup it makes (AES-256-GCM, {@link BackupCipher}) and recording the key's id
     */
    public BackupService withKeys(BackupKeyring keyring) {
        return new BackupService(catalog, target, root, tools, clock, Optional.of(keyring));
    }

    /** @return the backup root */
    public Path root() {
        return root;
    }

    /**
     * Makes a backup.
     *
     * @param request what to make
     * @return the backup, whole and recorded
     * @throws BackupRootException when the backup root cannot hold backups safely (nothing is recorded)
     * @throws InvalidValueException when the kind is daily, or the schedule named does not exist or makes another kind
     *     (nothing is recorded)
     * @throws ToolNotFoundException when no pg_dump as recent as the server is installed
     *         (the row records the failure)
     * @throws BackupFailedException when the dump failed (the row records why; no file is left)
     */
    public BackupResult run(BackupRequest request) {
        return make(request, begin(request, false));
    }

    /**
     * Starts a backup on the executor, alone: refused while another full or archive backup is
     * running, here or on another instance. Its row exists when this returns; what {@link #run}
     * would throw before the row exists is thrown here, the rest completes the result.
     *
     * @param request what to make
     * @param executor where the dump runs
     * @return the backup's id and its result to come
     * @throws BackupBusyException when another backup is running (nothing is recorded)
     * @throws BackupRootException when the backup root cannot hold backups safely (nothing is recorded)
     * @throws InvalidValueException when the kind is daily, or the schedule named does not exist or makes another kind
     * @throws BackupFailedException when the backup login cannot connect (the row records why)
     */
    public StartedBackup start(BackupRequest request, Executor executor) {
        requireNonNull(executor, "executor");
        HoldingSession held = begin(request, true);
        CompletableFuture<BackupResult> result;
        try {
            result = CompletableFuture.supplyAsync(() -> make(request, held), executor);
        } catch (RejectedExecutionException e) {
            BackupFailedException refused = new BackupFailedException(held.id(), "refused by its executor (shutting down?)", e);
            finishQuietly(held, refused.getMessage(), refused);
            throw refused;
        }
        return new StartedBackup(held.id(), result);
    }

    /** The backup's row, begun and held by a new session of the backup login, which then takes the dump's snapshot. */
    private HoldingSession begin(BackupRequest request, boolean alone) {
        requireNonNull(request, "request");
        if (request.kind().isPhysical() || request.format() == BackupFormat.PGBACKREST) {
            throw new InvalidValueException("a " + request.kind().wireName() + " backup in " + request.format().wireName()
                    + " format is not logical: pgBackRest makes the physical-full and daily kinds (PhysicalBackupService);"
                    + " a logical backup is full or archive, custom or plain-gzip");
        }
        BackupRoot.folder(root, request.kind().wireName());
        return HoldingSession.begin(catalog, target, request, alone);
    }

    /** Dumps, writes and records the backup its held row stands for; the hold ends when the row is final. */
    private BackupResult make(BackupRequest request, HoldingSession held) {
        long id = held.id();
        long started = System.nanoTime();
        Path folder = BackupRoot.folder(root, request.kind().wireName());
        String name = target.database() + "_" + FILE_TIME.format(clock.instant()) + "_" + id + request.format().suffix()
                + (keys.isPresent() ? ".enc" : "");
        Path file = folder.resolve(name);
        Path partial = folder.resolve("." + name + ".partial");
        LOG.info("backup {}: {} ({}) of {} into {}", id, request.kind().wireName(), request.format().wireName(), target.database(), file);
        try {
            Dump dump = dump(held.connection(), request.format(), partial);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            force(folder);
            BackupFile written = new BackupFile(file, dump.size(), dump.sha256());
            held.finish(() -> catalog.selfContained(handle -> handle.attach(BackupDao.class).succeeded(id, new String[] {file.toString()},
                    new Long[] {written.sizeBytes()}, new String[] {written.sha256()},
                    dump.tableRows().keySet().toArray(String[]::new), dump.tableRows().values().toArray(Long[]::new),
                    dump.lsn(), OffsetDateTime.ofInstant(dump.snapshotAt(), ZoneOffset.UTC), keys.map(BackupKeyring::activeId).orElse(null))));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("backup {}: {} bytes, sha256 {}, {} tables, in {} ms", id, written.sizeBytes(), written.sha256(), dump.tableRows().size(),
                    took.toMillis());
            return new BackupResult(id, request.kind(), request.format(), List.of(written), dump.tableRows(), dump.snapshotAt(), took,
                    keys.map(BackupKeyring::activeId));
        } catch (RuntimeException | IOException | SQLException e) {
            deleteQuietly(partial, e);
            deleteIfUnrecorded(file, id, e);
            String why = describe(e);
            finishQuietly(held, why, e);
            LOG.warn("backup {} failed: {}", id, why);
            if (e instanceof ToolNotFoundException missing) {
                throw missing;
            }
            throw new BackupFailedException(id, why, e);
        } catch (InterruptedException e) {
            deleteQuietly(partial, e);
            finishQuietly(held, "interrupted", e);
            Thread.currentThread().interrupt();
            throw new BackupFailedException(id, "interrupted", e);
        }
    }

    /** Records the held backup failed, then ends the hold. */
    private void finishQuietly(HoldingSession held, String why, Exception failure) {
        try {
            held.finish(() -> catalog.selfContained(handle -> handle.attach(BackupDao.class).failed(held.id(), why)));
        } catch (RuntimeException recording) {
            failure.addSuppressed(recording);
        }
    }


    /**
     * The guide's weekly cleanup: marks every backup past its class's period ({@code
     * cleanup_old_backups()}, which keeps a kept backup, the newest verified full one, and what a
     * kept backup needs), deletes the files of every expired backup, and marks each whose files
     * are all gone {@code deleted}. A file that cannot be deleted leaves its backup expired, for the
     * next cleanup; a file already gone counts as deleted.
     *
     * @return what it deleted, and what it could not
     */
    public CleanupResult cleanup() {
        List<BackupDao.Expired> expired = catalog.selfContained(handle -> {
            BackupDao dao = handle.attach(BackupDao.class);
            dao.cleanup();
            return dao.expired();
        });
        List<Long> deleted = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (BackupDao.Expired backup : expired) {
            boolean whole = true;
            for (String name : backup.files()) {
                Path file = Path.of(name);
                try {
                    if (Files.deleteIfExists(file)) {
                        files.add(file);
                    }
                } catch (IOException e) {
                    whole = false;
                    failures.add(file + ": " + e);
                }
            }
            if (whole) {
                catalog.selfContained(handle -> handle.attach(BackupDao.class).deleted(backup.id()));
                deleted.add(backup.id());
            }
        }
        deletePartials(files, failures);
        LOG.info("backup cleanup: {} backups deleted ({} files), {} files left for the next cleanup", deleted.size(), files.size(),
                failures.size());
        return new CleanupResult(deleted, files, failures);
    }

    /** The hidden file of a backup being written: {@code .<database>_<time>_<id><suffix>.partial}. */
    private static final Pattern PARTIAL = Pattern.compile("^\\..*_(\\d+)(\\.[a-z]+)+\\.partial$");

    /**
     * Deletes what a backup killed mid-write left (a crash leaves its hidden {@code .partial} file):
     * each whose backup's row is final.
     */
    private void deletePartials(List<Path> files, List<String> failures) {
        Map<Path, Long> partials = new LinkedHashMap<>();
        for (BackupKind kind : List.of(BackupKind.FULL, BackupKind.ARCHIVE)) {
            Path folder = root.resolve(kind.wireName());
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, ".*.partial")) {
                for (Path partial : entries) {
                    Matcher name = PARTIAL.matcher(partial.getFileName().toString());
                    if (name.matches()) {
                        partials.put(partial, Long.parseLong(name.group(1)));
                    }
                }
            } catch (IOException e) {
                failures.add(folder + ": " + e);
            }
        }
        if (partials.isEmpty()) {
            return;
        }
        // asked after the listing: a backup whose row is final now never writes again
        Set<Long> finished = Set.copyOf(catalog.selfContained(handle -> handle.attach(BackupDao.class)
                .finished(partials.values().toArray(Long[]::new))));
        partials.forEach((partial, id) -> {
            if (finished.contains(id)) {
                try {
                    Files.deleteIfExists(partial);
                    files.add(partial);
                } catch (IOException e) {
                    failures.add(partial + ": " + e);
                }
            }
        });
    }

    /** What a dump wrote, and the snapshot it shows. */
    private record Dump(long size, String sha256, Map<String, Long> tableRows, String lsn, Instant snapshotAt) {
    }

    private Dump dump(Connection snapshot, BackupFormat format, Path partial) throws IOException, SQLException, InterruptedException {
        try (Statement sql = snapshot.createStatement()) {
            snapshot.setAutoCommit(false);
            sql.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            String snapshotId;
            String lsn;
            Instant snapshotAt;
            int serverMajor;
            try (ResultSet rs = sql.executeQuery("""
                    SELECT pg_export_snapshot(), pg_current_wal_lsn()::text, clock_timestamp(),
                           current_setting('server_version_num')::integer / 10000""")) {
                rs.next();
                snapshotId = rs.getString(1);
                lsn = rs.getString(2);
                snapshotAt = rs.getObject(3, OffsetDateTime.class).toInstant();
                serverMajor = rs.getInt(4);
            }
            Path pgDump = tools.postgres("pg_dump", serverMajor);
            List<String> command = List.of(pgDump.toString(), "--format=" + (format == BackupFormat.CUSTOM ? "custom" : "plain"),
                    "--snapshot=" + snapshotId, "--no-password", "--host=" + target.host(), "--port=" + target.port(),
                    "--username=" + target.user(), "--dbname=" + target.database());
            Path errors = Files.createTempFile("heroes-pg_dump", ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
            builder.environment().put("PGPASSWORD", target.password());
            builder.environment().put("PGAPPNAME", "heroes-backup");
            // the dump streams to disk on a thread of its own while this one counts rows in the snapshot
            // (not the common pool: on a two-core machine it has one thread)
            ExecutorService writer = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(task, "heroes-backup-writer");
                thread.setDaemon(true);
                return thread;
            });
            Process process = builder.start();
            try {
                Future<Written> written = writer.submit(() -> write(process.getInputStream(), format, partial, keys));
                Map<String, Long> rows = countRows(sql);
                Written result = join(written);
                int exit = process.waitFor();
                if (exit != 0) {
                    String stderr = tail(errors);
                    throw new IOException("pg_dump exited with status " + exit + (stderr.isBlank() ? "" : ": " + stderr.strip()));
                }
                snapshot.commit();
                return new Dump(result.size(), result.sha256(), rows, lsn, snapshotAt);
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
                writer.shutdownNow();
                Files.deleteIfExists(errors);
            }
        }
    }

    /** Every table's rows, in the exported snapshot: what a restore of this backup must hold. */
    private static Map<String, Long> countRows(Statement sql) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("""
                SELECT format('%I.%I', n.nspname, c.relname) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                 ORDER BY 1""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        for (String table : tables) {
            try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM ONLY " + table)) {
                rs.next();
                rows.put(table, rs.getLong(1));
            }
        }
        return rows;
    }

    private record Written(long size, String sha256) {
    }

    /**
     * Streams the dump into the temporary file, 0600: gzipped (plain format), then encrypted (with
     * a keyring), hashing what reaches the disk; fsyncs it.
     */
    private static Written write(InputStream dump, BackupFormat format, Path partial, Optional<BackupKeyring> keys) {
        try (FileChannel channel = FileChannel.open(partial, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(BackupRoot.FILE))) {
            Hashing hashing = new Hashing(Channels.newOutputStream(channel));
            OutputStream sealed = keys.isPresent() ? BackupCipher.encrypt(new KeepOpen(hashing), keys.get()) : new KeepOpen(hashing);
            OutputStream out = format == BackupFormat.PLAIN_GZIP ? new GZIPOutputStream(sealed, 1 << 16) : sealed;
            byte[] buffer = new byte[1 << 16];
            for (int n = dump.read(buffer); n >= 0; n = dump.read(buffer)) {
                out.write(buffer, 0, n);
            }
            out.close(); // finishes the gzip stream and seals the last chunk; the file stays open to be forced
            hashing.flush();
            channel.force(true);
            return new Written(hashing.size, HexFormat.of().formatHex(hashing.digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Passes close on as a flush, so the streams above can finish without closing the file. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** Counts and hashes the bytes on their way to the file. */
    private static final class Hashing extends FilterOutputStream {
        private final MessageDigest digest;
        private long size;

        Hashing(OutputStream out) {
            super(out);
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java has SHA-256", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            size++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            digest.update(bytes, offset, length);
            size += length;
        }
    }

    private static String tail(Path errors) {
        try {
            String text = Files.readString(errors, StandardCharsets.UTF_8);
            return text.length() <= STDERR_KEPT ? text : text.substring(text.length() - STDERR_KEPT);
        } catch (IOException e) {
            return "(pg_dump's error output could not be read: " + e.getMessage() + ")";
        }
    }

    private static <T> T join(Future<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    private static void force(Path folder) throws IOException {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static void deleteQuietly(Path path, Throwable failure) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** A file renamed into place whose row could not be marked succeeded is not a backup either. */
    private static void deleteIfUnrecorded(Path file, long id, Throwable failure) {
        if (Files.exists(file)) {
            LOG.warn("backup {}: removing {}, whose row could not be completed", id, file);
            deleteQuietly(file, failure);
        }
    }

    /** What went wrong, in words: a full disk is named as such. */
    static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.contains("No space left on device")) {
                return "the disk holding the backup is full (No space left on device)";
            }
        }
        String message = failure instanceof SQLException ? SqlStates.message(failure) : failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }
}
