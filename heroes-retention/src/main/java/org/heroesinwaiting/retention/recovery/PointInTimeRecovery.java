package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.core.tools.Folders;
import org.heroesinwaiting.persistence.SqlStates;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.HoldingSession;
import org.heroesinwaiting.retention.physical.PgBackRest;
import org.heroesinwaiting.retention.physical.PhysicalBackup;
import org.heroesinwaiting.retention.physical.PhysicalBackupException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Point-in-time recovery with pgBackRest, as a pipeline of recorded steps ({@code recovery_log}):
 * the WAL holding the target is made sure to be archived (a WAL switch), pgBackRest restores the
 * newest backup before the target into a new data directory ({@code --type=time}), the copy is
 * started on a spare port, replays the WAL to the target and promotes, is checked (every table's
 * rows, {@code pg_amcheck}), the ledger of erasures is replayed (a step that does nothing until the
 * privacy issue brings the ledger), and it is handed over running. The live cluster is never
 * touched.
 *
 * <p>{@link #restoreTables} brings chosen tables back as they were at a moment, which no tool
 * offers: a scratch copy recovered to that moment, the tables copied out of it and applied to the
 * live database in one transaction (replace, or add the missing rows), the copy deleted.
 */
public final class PointInTimeRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(PointInTimeRecovery.class);
    private static final Duration ARCHIVED_WITHIN = Duration.ofMinutes(2);
    private static final Duration REPLAYED_WITHIN = Duration.ofHours(2);

    private final TransactionRunner catalog;
    private final ClusterLogin superuser;
    private final ExternalTools tools;
    private final PgBackRest pgBackRest;

    /**
     * @param catalog transactions on the application login, which records the recovery's steps
     * @param superuser the live cluster's superuser (its WAL switch, its settings; the copy's roles are the same)
     * @param tools where {@code pg_ctl} and {@code pg_amcheck} are found
     * @param pgBackRest the live cluster's stanza
     */
    public PointInTimeRecovery(TransactionRunner catalog, ClusterLogin superuser, ExternalTools tools, PgBackRest pgBackRest) {
        this.catalog = requireNonNull(catalog, "catalog");
        this.superuser = requireNonNull(superuser, "superuser");
        this.tools = requireNonNull(tools, "tools");
        this.pgBackRest = requireNonNull(pgBackRest, "pgBackRest");
    }

    /**
     * Recovers the whole cluster as it was at a moment, into a new data directory, and hands it
     * over running on a spare port.
     *
     * @param target the moment, in the restorable window (after the oldest physical backup ended, not in the future)
     * @param into the new data directory (must not exist, or be empty)
     * @return the recovered cluster, running
     * @throws InvalidValueException when the target lies outside the restorable window (recorded as the failure)
     * @throws RestoreFailedException when a step failed (recorded; the live cluster is as it was)
     */
    public PointInTimeResult recover(Instant target, Path into) {
        return execute(new RecoveryRequests(catalog).find(initiate("point_in_time", target, null, null)), into);
    }

    /**
     * Executes a recovery requested with {@code initiate_recovery('point_in_time', ...)}.
     *
     * @param request the request, still requested
     * @param into the new data directory
     * @return the recovered cluster, running
     * @throws InvalidValueException when it is not a point-in-time recovery waiting to run, or its target is outside the window
     */
    public PointInTimeResult execute(RecoveryRequest request, Path into) {
        requireNonNull(into, "into");
        if (!request.kind().equals("point-in-time")) {
            throw new InvalidValueException("recovery " + request.id() + " is a " + request.kind() + ", not a point-in-time recovery");
        }
        long started = System.nanoTime();
        HoldingSession held = take(request.id());
        Instant target = request.target().orElseThrow();
        Recovered recovered = null;
        try {
            recovered = recoverInto(held.id(), target, into);
            step(held.id(), "erasure-ledger", "no ledger of erasures yet (the privacy issue adds it): nothing to replay");
            step(held.id(), "hand-over", "running on localhost:" + recovered.cluster().port() + " from " + into);
            long restored = recovered.restoredBytes();
            held.finish(() -> call(dao -> dao.finished(held.id(), null, restored)));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("recovery {}: the cluster as at {} runs on localhost:{} from {} ({} ms)", held.id(), target, recovered.cluster().port(),
                    into, took.toMillis());
            return new PointInTimeResult(held.id(), recovered.label(), target, recovered.cluster(), recovered.tableRows(), took);
        } catch (RuntimeException | IOException | SQLException e) {
            if (recovered != null) {
                try {
                    recovered.cluster().stop(); // not handed over: it must not run on unnoticed
                } catch (IOException stopping) {
                    e.addSuppressed(stopping);
                }
            }
            throw failed(held, e);
        }
    }

    /**
     * Executes a point-in-time recovery and hands it over in place of the live cluster, which is
     * kept, stopped, beside it. The copy is restored and checked while the live cluster still runs
     * (into {@code <data directory>.recovered-<id>}, beside it), so that the live cluster stops only
     * for the swap: it stops, its data directory is renamed {@code <data directory>.replaced-<id>},
     * the copy's takes its name, pgBackRest's recovery settings are removed from the copy (it
     * archives from then on, on a new timeline), and it starts. The recovery's row, which the copy
     * never knew, is carried into it. When the copy does not start there, the old cluster is put
     * back and started, and its row says so.
     *
     * @param request the request, still requested
     * @param live the live cluster, on this host
     * @return the recovered cluster, running in the live cluster's place
     * @throws InvalidValueException when it is not a point-in-time recovery waiting to run, its target is
     *     outside the window, or a cluster is already kept where the replaced one would go
     * @throws RestoreFailedException when a step failed (recorded; the live cluster runs as it was)
     */
    public InPlaceResult executeInPlace(RecoveryRequest request, ManagedCluster live) {
        requireNonNull(live, "live");
        if (!request.kind().equals("point-in-time")) {
            throw new InvalidValueException("recovery " + request.id() + " is a " + request.kind() + ", not a point-in-time recovery");
        }
        Path liveDirectory = live.dataDirectory().toAbsolutePath().normalize();
        Path into = liveDirectory.resolveSibling(liveDirectory.getFileName() + ".recovered-" + request.id());
        Path kept = liveDirectory.resolveSibling(liveDirectory.getFileName() + ".replaced-" + request.id());
        if (Files.exists(kept)) {
            throw new InvalidValueException(kept + " exists: a cluster replaced before is kept there; move or delete it first");
        }
        long started = System.nanoTime();
        String database = catalogDatabase();
        boolean ours = !Files.exists(into);
        HoldingSession held = take(request.id());
        Instant target = request.target().orElseThrow();
        Recovered recovered = null;
        String record;
        try {
            recovered = recoverInto(held.id(), target, into);
            step(held.id(), "erasure-ledger", "no ledger of erasures yet (the privacy issue adds it): nothing to replay");
            recovered.cluster().stop();
            ScratchCluster.forgetRestoreSettings(into);
            step(held.id(), "hand-over", "in place: the live cluster stops and is kept at " + kept + "; the recovered one starts from "
                    + liveDirectory);
            long restored = recovered.restoredBytes();
            held.finish(() -> call(dao -> dao.finished(held.id(), null, restored)));
            record = call(dao -> dao.record(held.id()));
        } catch (RuntimeException | IOException | SQLException e) {
            if (recovered != null) {
                try {
                    recovered.cluster().stop();
                } catch (IOException stopping) {
                    e.addSuppressed(stopping);
                }
            }
            if (ours) {
                try {
                    Folders.delete(into); // a copy that will not be handed over
                } catch (IOException deleting) {
                    e.addSuppressed(deleting);
                }
            }
            throw failed(held, e);
        }
        ClusterLogin login = swap(held.id(), live, database, liveDirectory, into, kept);
        try (Connection connection = login.connect(database, "heroes-recovery");
                PreparedStatement carry = connection.prepareStatement("SELECT count(*) FROM app.recovery_carry(CAST(? AS jsonb), ?)")) {
            carry.setString(1, record);
            carry.setString(2, "runs from " + liveDirectory + "; the cluster it replaced is kept at " + kept + " until you delete it");
            carry.executeQuery().close();
        } catch (SQLException e) {
            LOG.warn("recovery {} runs in place, but its record could not be carried into it: {}", held.id(), SqlStates.message(e));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("recovery {}: the cluster as at {} runs in place from {} ({} ms); the one it replaced is kept at {}", held.id(), target,
                liveDirectory, took.toMillis(), kept);
        return new InPlaceResult(held.id(), recovered.label(), target, liveDirectory, kept, login, recovered.tableRows(), took);
    }

    /**
     * Stops the live cluster, puts the recovered data directory in its place and starts it; when
     * it does not start, puts the old one back, starts it and records why.
     */
    private static ClusterLogin swap(long recovery, ManagedCluster live, String database, Path liveDirectory, Path into, Path kept) {
        try {
            live.stop();
        } catch (IOException | RuntimeException e) {
            throw undone(recovery, live, database, "the live cluster did not stop: " + e.getMessage(), e);
        }
        try {
            Files.move(liveDirectory, kept, StandardCopyOption.ATOMIC_MOVE);
            Files.move(into, liveDirectory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                if (!Files.exists(liveDirectory) && Files.exists(kept)) {
                    Files.move(kept, liveDirectory, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException back) {
                e.addSuppressed(back);
            }
            throw undone(recovery, live, database, "the data directories could not be swapped: " + e.getMessage(), e);
        }
        try {
            return live.start();
        } catch (IOException | RuntimeException e) {
            try {
                live.stop();
            } catch (IOException | RuntimeException stopping) {
                e.addSuppressed(stopping);
            }
            try {
                Files.move(liveDirectory, into, StandardCopyOption.ATOMIC_MOVE);
                Files.move(kept, liveDirectory, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException back) {
                e.addSuppressed(back);
                throw new RestoreFailedException("recovery " + recovery + ": the recovered cluster did not start in place ("
                        + e.getMessage() + "), and the old one could not be put back: it is kept at " + kept + ", the recovered one is at "
                        + liveDirectory, e);
            }
            throw undone(recovery, live, database, "the recovered cluster did not start in place (" + e.getMessage() + "); it is kept at " + into, e);
        }
    }

    /** Starts the old cluster again after a hand-over that did not happen, records why, and returns the failure to throw. */
    private static RestoreFailedException undone(long recovery, ManagedCluster live, String database, String why, Exception cause) {
        RestoreFailedException failure = new RestoreFailedException("recovery " + recovery + " was not handed over in place; the old "
                + "cluster runs as it was: " + why, cause);
        try {
            ClusterLogin login = live.start();
            try (Connection connection = login.connect(database, "heroes-recovery");
                    PreparedStatement undo = connection.prepareStatement("SELECT count(*) FROM app.recovery_undone(?, ?)")) {
                undo.setLong(1, recovery);
                undo.setString(2, "put back: " + why);
                undo.executeQuery().close();
            }
        } catch (IOException | SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
        LOG.warn("recovery {}: {}", recovery, why);
        return failure;
    }

    /**
     * Brings tables back as they were at a moment: a scratch copy recovered to it, the tables
     * copied out and applied to the live database in one transaction, the copy deleted. Foreign
     * keys are checked as any write's are; a change that would reach a table not named undoes it all.
     *
     * @param target the moment
     * @param tables tables of the {@code public} schema
     * @param mode replace their rows, or add only the missing ones (rows changed since cannot be
     *     told from new ones: only deleted rows come back)
     * @return the rows added, set back and deleted, per table
     */
    public TableRestoreResult restoreTables(Instant target, List<String> tables, TableRestoreMode mode) {
        requireNonNull(mode, "mode");
        return executeTables(new RecoveryRequests(catalog).find(initiate("table_restore", target, tables, mode.wireName())));
    }

    /**
     * Executes a table restore to a moment requested with {@code initiate_recovery('table_restore', NULL, target, tables)}.
     *
     * @param request the request, still requested
     * @return the rows added, set back and deleted, per table
     * @throws InvalidValueException when it is not a table restore to a moment waiting to run, or its target is outside the window
     */
    public TableRestoreResult executeTables(RecoveryRequest request) {
        if (!request.kind().equals("tables-to-time")) {
            throw new InvalidValueException("recovery " + request.id() + " is a " + request.kind() + ", not a table restore to a moment");
        }
        long started = System.nanoTime();
        HoldingSession held = take(request.id());
        Instant target = request.target().orElseThrow();
        List<String> tables = request.tables();
        TableRestoreMode mode = request.mode().orElse(TableRestoreMode.REPLACE);
        Path scratch = null;
        Path copies = null;
        try {
            scratch = Files.createTempDirectory("heroes-tables-to-time", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            copies = Files.createDirectory(scratch.resolve("copies"));
            Recovered recovered = recoverInto(held.id(), target, scratch.resolve("cluster"));
            Map<String, Path> rows = new LinkedHashMap<>();
            try (ScratchCluster cluster = recovered.cluster(); Connection source = cluster.connect(catalogDatabase())) {
                CopyManager copy = source.unwrap(PGConnection.class).getCopyAPI();
                for (String table : tables) {
                    Path file = copies.resolve(table + ".copy");
                    try (OutputStream out = Files.newOutputStream(file)) {
                        copy.copyOut("COPY public." + table + " TO STDOUT (FORMAT binary)", out);
                    }
                    rows.put(table, file);
                }
            }
            step(held.id(), "copy", "copied " + String.join(", ", tables) + " as at " + target + "; the scratch copy is deleted");
            long backupId = call(dao -> dao.physicalBackup(recovered.label())).orElse(0L);
            TableRestoreResult result;
            try (Connection live = connect(catalogDatabase())) {
                result = TableChanges.apply(live, rows, mode, backupId, held.id(), started);
            }
            step(held.id(), "apply", "added " + result.inserted() + ", set back " + result.updated() + ", deleted " + result.deleted());
            held.finish(() -> call(dao -> dao.finished(held.id(), null, recovered.restoredBytes())));
            LOG.info("recovery {}: tables {} as at {} restored ({})", held.id(), tables, target, mode.wireName());
            return result;
        } catch (RuntimeException | IOException | SQLException e) {
            throw failed(held, e);
        } finally {
            try {
                Folders.delete(scratch);
            } catch (IOException e) {
                LOG.warn("could not delete the scratch copy {}: {}", scratch, e.getMessage());
            }
        }
    }

    /**
     * The physical restore drill: restores a physical backup as it was when it ended into a scratch
     * data directory, starts it on a spare port, counts every table's rows and runs {@code
     * pg_amcheck}, then stops and deletes it, and records the outcome as the backup's last
     * verification.
     *
     * @param backupId a physical backup that succeeded
     * @return the outcome; a finding names what failed
     * @throws InvalidValueException when there is no such physical backup
     */
    public Verification drill(long backupId) {
        String label = call(dao -> dao.label(backupId))
                .orElseThrow(() -> new InvalidValueException("there is no physical backup " + backupId + " that succeeded"));
        long started = System.nanoTime();
        HoldingSession held;
        try {
            held = HoldingSession.start(superuserConnection(), "SELECT app.recovery_start(?, ?, ?, ?, ?, ?)",
                    Arrays.asList("drill", backupId, "physical:" + label, null, null, true));
        } catch (SQLException e) {
            throw new RestoreFailedException("cannot begin the drill of backup " + backupId + ": " + SqlStates.message(e), e);
        }
        Path scratch = null;
        String finding = null;
        int tables = 0;
        try {
            scratch = Files.createTempDirectory("heroes-physical-drill", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path into = Files.createDirectory(scratch.resolve("cluster"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            pgBackRest.restoreBackup(into, label);
            step(held.id(), "restore", "pgBackRest restored backup " + label + " into " + into);
            try (ScratchCluster cluster = ScratchCluster.start(tools, into, superuser)) {
                cluster.awaitPromoted(REPLAYED_WITHIN);
                step(held.id(), "start", "started on localhost:" + cluster.port() + " and consistent");
                Map<String, Long> rows = countRows(cluster);
                tables = rows.size();
                amcheck(cluster);
                step(held.id(), "check", rows.size() + " tables read (" + rows.values().stream().mapToLong(Long::longValue).sum()
                        + " rows), pg_amcheck found nothing");
            }
        } catch (IOException | SQLException | RuntimeException e) {
            finding = e instanceof SQLException sql ? SqlStates.message(sql) : String.valueOf(e.getMessage());
        } finally {
            try {
                Folders.delete(scratch);
            } catch (IOException e) {
                LOG.warn("could not delete the drill's scratch copy {}: {}", scratch, e.getMessage());
            }
        }
        long restored = finding == null ? drilledBytes(label) : 0;
        String outcome = finding;
        String detail = finding == null ? "restored, started, " + tables + " tables read, pg_amcheck clean" : finding;
        held.finish(() -> {
            call(dao -> dao.verified(backupId, outcome == null, "physical drill: " + detail));
            call(dao -> dao.finished(held.id(), outcome, outcome == null ? restored : null));
        });
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("physical backup {} ({}) drilled in {} ms: {}", backupId, label, took.toMillis(), detail);
        return new Verification(backupId, held.id(), finding == null, finding == null ? List.of() : List.of(finding), tables, took);
    }

    /** @return the size of the cluster a physical backup restores, as pgBackRest says */
    private long drilledBytes(String label) {
        try {
            return pgBackRest.info().backups().stream().filter(b -> b.label().equals(label)).mapToLong(PhysicalBackup::sizeBytes).findFirst()
                    .orElse(0);
        } catch (PhysicalBackupException e) {
            return 0;
        }
    }

    /** A cluster recovered to its target, running, with what it holds. */
    private record Recovered(String label, ScratchCluster cluster, Map<String, Long> tableRows, long restoredBytes) {
    }

    private Recovered recoverInto(long recovery, Instant target, Path into) throws IOException, SQLException {
        Instant now = Instant.now();
        if (target.isAfter(now)) {
            throw new InvalidValueException("the target " + target + " is in the future (now is " + now + ")");
        }
        List<PhysicalBackup> backups = pgBackRest.info().backups();
        Instant oldest = backups.stream().map(PhysicalBackup::stoppedAt).min(Instant::compareTo)
                .orElseThrow(() -> new InvalidValueException("there is no physical backup yet: point-in-time recovery starts at the first"));
        if (target.isBefore(oldest)) {
            throw new InvalidValueException("the target " + target + " is before the oldest restorable point, " + oldest
                    + " (the end of the oldest physical backup)");
        }
        if (Files.exists(into)) {
            try (var entries = Files.list(into)) {
                if (entries.findAny().isPresent()) {
                    throw new InvalidValueException(into + " is not empty: a recovery goes into a new data directory");
                }
            }
        } else {
            Files.createDirectories(into, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // the base backup is copied while the WAL holding the target is switched out and archived: only the start needs that WAL
        CompletableFuture<String> archived = beside("heroes-recovery-archive", this::archiveThrough);
        String label = pgBackRest.restoreToTime(into, target); // when it fails, the switch beside ends on its own (2 minutes at most)
        String segment = join(archived);
        step(recovery, "archive", "the WAL through segment " + segment + " is archived");
        step(recovery, "restore", "pgBackRest restored backup " + label + " into " + into);
        ScratchCluster cluster = ScratchCluster.start(tools, into, superuser);
        try {
            step(recovery, "start", "started on localhost:" + cluster.port() + ", replaying WAL to " + target);
            cluster.awaitPromoted(REPLAYED_WITHIN);
            step(recovery, "promote", "reached " + target + " and promoted");
            CompletableFuture<String> checked = beside("heroes-recovery-amcheck", () -> {
                amcheck(cluster);
                return "clean";
            });
            Map<String, Long> rows = countRows(cluster);
            join(checked);
            step(recovery, "check", rows.size() + " tables counted (" + rows.values().stream().mapToLong(Long::longValue).sum()
                    + " rows), pg_amcheck found nothing");
            long bytes = backups.stream().filter(b -> b.label().equals(label)).mapToLong(PhysicalBackup::sizeBytes).findFirst().orElse(0);
            return new Recovered(label, cluster, rows, bytes);
        } catch (RuntimeException | IOException | SQLException e) {
            try {
                cluster.stop();
            } catch (IOException stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
    }

    /** Work that throws what a step throws. */
    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException, SQLException;
    }

    /** Runs a step on a thread of its own, beside the caller's. */
    private static <T> CompletableFuture<T> beside(String name, Step<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.run();
            } catch (IOException | SQLException e) {
                throw new CompletionException(e);
            }
        }, task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            thread.start();
        });
    }

    /** Waits for a step beside and throws what it threw. */
    private static <T> T join(CompletableFuture<T> step) throws IOException, SQLException {
        try {
            return step.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    /**
     * Switches the live cluster to a new WAL segment and waits until the one it closed is archived:
     * a target seconds in the past is then in the repository.
     *
     * @return the segment closed
     */
    private String archiveThrough() throws SQLException, IOException {
        try (Connection connection = connect("postgres"); Statement sql = connection.createStatement()) {
            String segment;
            try (ResultSet rs = sql.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                segment = rs.getString(1);
            }
            long deadline = System.nanoTime() + ARCHIVED_WITHIN.toNanos();
            while (true) {
                try (ResultSet rs = sql.executeQuery("SELECT last_archived_wal, last_failed_wal, last_failed_time > coalesce(last_archived_time, "
                        + "'-infinity') FROM pg_stat_archiver")) {
                    rs.next();
                    String archived = rs.getString(1);
                    if (archived != null && archived.compareTo(segment) >= 0) {
                        return segment;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IOException("WAL segment " + segment + " was not archived within " + ARCHIVED_WITHIN.toSeconds() + " s"
                                + (rs.getBoolean(3) ? ": archiving fails (last failed segment " + rs.getString(2) + ")" : ""));
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted waiting for WAL segment " + segment + " to be archived", e);
                }
            }
        }
    }

    private Map<String, Long> countRows(ScratchCluster cluster) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection connection = cluster.connect(catalogDatabase()); Statement sql = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = sql.executeQuery("""
                    SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' AND NOT c.relispartition ORDER BY 1""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    rows.put(table, rs.getLong(1));
                }
            }
        }
        return rows;
    }

    private void amcheck(ScratchCluster cluster) throws IOException {
        // as many connections as cores: the copy serves nobody yet
        ProcessBuilder builder = new ProcessBuilder(tools.postgres("pg_amcheck").toString(), "--install-missing", "--no-password",
                "--jobs=" + Runtime.getRuntime().availableProcessors(),
                "--host=localhost", "--port=" + cluster.port(), "--username=" + cluster.login().user(), "--database=" + catalogDatabase())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("PGPASSWORD", cluster.login().password());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("pg_amcheck found corruption in the recovered copy (exit " + process.exitValue() + "): " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running pg_amcheck", e);
        }
    }

    private long initiate(String type, Instant target, List<String> tables, String mode) {
        requireNonNull(target, "target");
        try {
            return call(dao -> dao.initiate(type, null, LocalDateTime.ofInstant(target, ZoneOffset.UTC),
                    tables == null ? null : tables.toArray(String[]::new), mode == null ? "replace" : mode));
        } catch (RuntimeException e) {
            if (SqlStates.has(e, SqlStates.INVALID_PARAMETER_VALUE)) {
                throw new InvalidValueException(SqlStates.message(e), e);
            }
            throw e;
        }
    }

    private HoldingSession take(long requestId) {
        try {
            return HoldingSession.start(superuserConnection(), "SELECT id FROM app.recovery_take(?)", List.of(requestId));
        } catch (SQLException e) {
            if (SqlStates.has(e, SqlStates.OBJECT_NOT_IN_PREREQUISITE_STATE)) {
                throw new RecoveryNotWaitingException(SqlStates.message(e), e);
            }
            throw new RestoreFailedException("cannot take recovery " + requestId + ": " + SqlStates.message(e), e);
        }
    }

    private RuntimeException failed(HoldingSession held, Exception e) {
        String why = e instanceof SQLException sql ? SqlStates.message(sql) : String.valueOf(e.getMessage());
        try {
            held.finish(() -> call(dao -> dao.finished(held.id(), why, null)));
        } catch (RuntimeException recording) {
            e.addSuppressed(recording);
        }
        LOG.warn("recovery {} failed: {}", held.id(), why);
        if (e instanceof InvalidValueException invalid) {
            return invalid;
        }
        if (e instanceof PhysicalBackupException || e instanceof IOException || e instanceof SQLException || e instanceof RuntimeException) {
            return new RestoreFailedException("recovery " + held.id() + " failed; the live cluster is as it was: " + why, e);
        }
        return new IllegalStateException(e);
    }

    private Connection superuserConnection() throws SQLException {
        return connect(catalogDatabase());
    }

    private Connection connect(String database) throws SQLException {
        return superuser.connect(database, "heroes-recovery");
    }

    private String catalogDatabase() {
        return call(RecoveryDao::database);
    }

    private void step(long recovery, String step, String detail) {
        call(dao -> dao.step(recovery, step, detail));
    }

    private <T> T call(Function<RecoveryDao, T> work) {
        return catalog.selfContained(handle -> work.apply(handle.attach(RecoveryDao.class)));
    }
}
