package org.heroesinwaiting.bench.backup;

import static org.heroesinwaiting.bench.backup.BackupBench.median;
import static org.heroesinwaiting.bench.backup.BackupBench.run;
import static org.heroesinwaiting.bench.backup.BackupBench.seconds;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.heroesinwaiting.bench.backup.BackupBench.Work;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.DatabaseSettings;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.PooledDataSources;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.physical.PgBackRest;
import org.heroesinwaiting.retention.physical.PgBackRestConfig;
import org.heroesinwaiting.retention.physical.PhysicalBackupResult;
import org.heroesinwaiting.retention.physical.PhysicalBackupService;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.retention.recovery.PointInTimeRecovery;
import org.heroesinwaiting.retention.recovery.PointInTimeResult;
import org.heroesinwaiting.retention.recovery.ScratchCluster;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.DedicatedServer;
import org.heroesinwaiting.testkit.TestDatabase;

/**
 * Physical backups and point-in-time recovery on the one-year database of {@link BackupBench}, on
 * a cluster of its own whose WAL pgBackRest archives, each against the bare tool in the same run:
 * a full and a differential through {@link PhysicalBackupService} (the catalog's row held by a
 * session, pgBackRest's info read back and recorded) against the same {@code pgbackrest backup}
 * commands run bare (goal at most 1.1x); a point-in-time recovery through {@link
 * PointInTimeRecovery} (the WAL switch, every step recorded, rows counted, pg_amcheck) against a
 * bare {@code pgbackrest restore --type=time --target-action=promote} and a start to promotion
 * (goal at most 1.2x), with
 * the RTO it implies per GB; and the recovery point under a steady write load: the age of the
 * newest archived segment, sampled every second, p50 and max.
 *
 * <pre>
 * java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.backup.PhysicalBackupBench [rounds] [load-seconds]
 * </pre>
 */
public final class PhysicalBackupBench {

    private PhysicalBackupBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int loadSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        Path work = Files.createTempDirectory("heroes-physical-bench");
        ExternalTools tools = ExternalTools.system();
        PgBackRestConfig paths = new PgBackRestConfig("heroes", work.resolve("repo"), work.resolve("work"), Path.of("/"), 5432, Path.of("/tmp"),
                "heroes_backup", "postgres");
        try (DedicatedServer server = DedicatedServer.start(Map.of("archive_mode", "on", "wal_level", "replica", "archive_timeout", "60",
                "archive_command", "'" + PgBackRest.find(tools, paths).archiveCommand() + "'"));
                TestDatabase database = server.databases().create()) {
            System.out.println("writing one year of the guide's growth...");
            long started = System.nanoTime();
            BackupBench.oneYear(database.dataSource(DatabaseLogin.OWNER));
            System.out.printf(Locale.ROOT, "  written in %.0f s%n", (System.nanoTime() - started) / 1e9);
            PgBackRest pgBackRest = PgBackRest.find(tools, new PgBackRestConfig("heroes", paths.repository(), paths.work(), server.dataDirectory(),
                    server.port(), Path.of("/tmp"), "heroes_backup", database.name())).withPassword(database.password(DatabaseLogin.BACKUP));
            pgBackRest.stanzaCreate();
            Path program = tools.program("pgbackrest", "pgbackrest");
            List<String> bare = List.of(program.toString(), "--config=" + pgBackRest.config().file(), "--stanza=heroes");
            Map<String, String> password = Map.of("PGPASSWORD", database.password(DatabaseLogin.BACKUP));
            ClusterLogin superuser = new ClusterLogin("localhost", server.port(), "postgres", "");
            try (var pool = PooledDataSources.forApplication(DatabaseSettings.of(database.jdbcUrl(), "heroes_app",
                    database.password(DatabaseLogin.APP)))) {
                TransactionRunner catalog = new TransactionRunner(HeroesJdbi.create(pool));
                PhysicalBackupService physical = new PhysicalBackupService(catalog, BackupTarget.of(database.jdbcUrl(), "heroes_backup",
                        database.password(DatabaseLogin.BACKUP)), pgBackRest);
                PointInTimeRecovery recovery = new PointInTimeRecovery(catalog, superuser, tools, pgBackRest);
                physical.run(BackupKind.PHYSICAL_FULL, Optional.empty()); // warms the JVM's path, the cache, the repository

                List<Double> bareFulls = new ArrayList<>();
                List<Double> fulls = new ArrayList<>();
                List<Double> bareDiffs = new ArrayList<>();
                List<Double> diffs = new ArrayList<>();
                List<Double> bareRecoveries = new ArrayList<>();
                List<Double> recoveries = new ArrayList<>();
                long clusterBytes = 0;
                long diffBytes = 0;
                for (int round = 1; round <= rounds; round++) {
                    // who goes first alternates: the first backup after a round's writes checkpoints them (start-fast)
                    boolean bareFirst = round % 2 == 1;
                    PhysicalBackupResult[] full = new PhysicalBackupResult[1];
                    Work bareFull = () -> bareFulls.add(seconds(() -> run(password, concat(bare, "--type=full", "backup"))));
                    Work orchestratedFull = () -> fulls.add(seconds(() -> full[0] = physical.run(BackupKind.PHYSICAL_FULL, Optional.empty())));
                    inOrder(bareFirst, bareFull, orchestratedFull);
                    clusterBytes = full[0].backup().sizeBytes();
                    touchOnePercent(database);
                    PhysicalBackupResult[] diff = new PhysicalBackupResult[1];
                    Work bareDiff = () -> bareDiffs.add(seconds(() -> run(password, concat(bare, "--type=diff", "backup"))));
                    Work orchestratedDiff = () -> diffs.add(seconds(() -> diff[0] = physical.run(BackupKind.DAILY, Optional.empty())));
                    inOrder(bareFirst, bareDiff, orchestratedDiff);
                    diffBytes = diff[0].backup().repositoryBytes();

                    Instant target = now(database);
                    touchOnePercent(database); // a commit after the target, where replay stops
                    switchAndWait(superuser);
                    Path bareInto = Files.createDirectory(work.resolve("bare-" + round), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                    // bare: the pgbackrest command itself, with the stanza's configuration, and the copy started and waited for
                    Work bareRecovery = () -> bareRecoveries.add(seconds(() -> bareRestore(bare, password, bareInto, target, tools,
                            superuser)));
                    Path into = work.resolve("pitr-" + round);
                    Work orchestratedRecovery = () -> recoveries.add(seconds(() -> {
                        PointInTimeResult result = recovery.recover(target, into);
                        result.cluster().close();
                    }));
                    inOrder(bareFirst, bareRecovery, orchestratedRecovery);
                    System.out.printf(Locale.ROOT, "round %d: full bare %.2f s, orchestrated %.2f s; diff bare %.2f s, orchestrated %.2f s"
                            + " (%,d bytes in the repository); point in time bare %.2f s, orchestrated %.2f s%n", round,
                            bareFulls.get(round - 1), fulls.get(round - 1), bareDiffs.get(round - 1), diffs.get(round - 1), diffBytes,
                            bareRecoveries.get(round - 1), recoveries.get(round - 1));
                }
                System.out.printf(Locale.ROOT, "cluster: %,d bytes%n", clusterBytes);
                System.out.printf(Locale.ROOT, "full: PhysicalBackupService %.2f s against pgbackrest backup %.2f s (medians of %d): %.2fx"
                        + " (goal: at most 1.1x)%n", median(fulls), median(bareFulls), rounds, median(fulls) / median(bareFulls));
                System.out.printf(Locale.ROOT, "differential: %.2f s against %.2f s: %.2fx (goal: at most 1.1x)%n", median(diffs),
                        median(bareDiffs), median(diffs) / median(bareDiffs));
                System.out.printf(Locale.ROOT, "point in time: PointInTimeRecovery %.2f s against pgbackrest restore + start %.2f s: %.2fx"
                        + " (goal: at most 1.2x)%n", median(recoveries), median(bareRecoveries), median(recoveries) / median(bareRecoveries));
                stepsOfTheLastRecovery(database);
                double perGb = median(recoveries) / (clusterBytes / 1e9);
                System.out.printf(Locale.ROOT, "RTO: %.0f s of point-in-time recovery per GB of cluster (%.1f min per GB); the guide's"
                        + " 2 hours cover %.0f GB%n", perGb, perGb / 60, 2 * 3600 / perGb);
                recoveryPoint(database, superuser, loadSeconds);
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * The ingestion benchmark's kind of traffic (progress rows, each its own transaction) for a
     * while, sampling once a second the age of the newest archived segment: how much the archive
     * lags the database.
     */
    private static void recoveryPoint(TestDatabase database, ClusterLogin superuser, int loadSeconds) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread load = new Thread(() -> {
            try (Connection connection = database.dataSource(DatabaseLogin.OWNER).getConnection(); Statement sql = connection.createStatement()) {
                while (running.get()) {
                    sql.execute("""
                            INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                          time_spent_seconds, idempotency_key)
                            SELECT s.id, s.classroom_id, l.id, lc.id, 'started', now(), 1, 'load-' || gen_random_uuid()
                              FROM student_sessions s, lessons l JOIN lesson_content lc ON lc.lesson_id = l.id
                             WHERE s.id = (SELECT id FROM student_sessions ORDER BY created_at LIMIT 1) AND l.lesson_number = 1""");
                    written.incrementAndGet();
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                System.out.println("load stopped: " + e.getMessage());
            }
        }, "load");
        load.start();
        List<Double> ages = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(superuser.jdbcUrl("postgres"), superuser.user(), superuser.password());
                Statement sql = connection.createStatement()) {
            long end = System.nanoTime() + Duration.ofSeconds(loadSeconds).toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(1000);
                try (ResultSet rs = sql.executeQuery("SELECT extract(epoch FROM now() - last_archived_time) FROM pg_stat_archiver")) {
                    rs.next();
                    ages.add(rs.getDouble(1));
                }
            }
        } finally {
            running.set(false);
            load.join();
        }
        Collections.sort(ages);
        System.out.printf(Locale.ROOT, "recovery point under load (%,d transactions in %d s, archive_timeout 60 s): newest archived segment"
                + " %.1f s old at the median, %.1f s at most (%d samples)%n", written.get(), loadSeconds, median(ages), ages.get(ages.size() - 1),
                ages.size());
    }

    /** Where the orchestrated recovery's time went: each recorded step, with the time since the one before. */
    private static void stepsOfTheLastRecovery(TestDatabase database) throws Exception {
        try (Connection connection = database.dataSource(DatabaseLogin.OWNER).getConnection(); Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("""
                        SELECT s.value ->> 'step', extract(epoch FROM (s.value ->> 'at')::timestamptz
                               - coalesce(lag((s.value ->> 'at')::timestamptz) OVER (ORDER BY s.n), r.started_at))
                          FROM recovery_log r CROSS JOIN LATERAL jsonb_array_elements(r.steps) WITH ORDINALITY AS s(value, n)
                         WHERE r.id = (SELECT max(id) FROM recovery_log WHERE kind = 'point-in-time') ORDER BY s.n""")) {
            StringBuilder steps = new StringBuilder("the last orchestrated recovery, step by step:");
            while (rs.next()) {
                steps.append(String.format(Locale.ROOT, " %s %.2f s;", rs.getString(1), rs.getDouble(2)));
            }
            System.out.println(steps);
        }
    }

    private static void touchOnePercent(TestDatabase database) throws Exception {
        try (Connection connection = database.dataSource(DatabaseLogin.OWNER).getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("UPDATE student_progress SET time_spent_seconds = time_spent_seconds + 1 WHERE random() < 0.01");
        }
    }

    private static Instant now(TestDatabase database) throws Exception {
        try (Connection connection = database.dataSource(DatabaseLogin.OWNER).getConnection(); Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
        }
    }

    /** The bare recovery's share of what the orchestrator does first: the WAL holding the target archived. */
    private static void switchAndWait(ClusterLogin superuser) throws Exception {
        try (Connection connection = DriverManager.getConnection(superuser.jdbcUrl("postgres"), superuser.user(), superuser.password());
                Statement sql = connection.createStatement()) {
            String segment;
            try (ResultSet rs = sql.executeQuery("SELECT pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                segment = rs.getString(1);
            }
            while (true) {
                try (ResultSet rs = sql.executeQuery("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")) {
                    rs.next();
                    if (rs.getString(1).compareTo(segment) >= 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    private static void inOrder(boolean bareFirst, Work bare, Work orchestrated) throws Exception {
        (bareFirst ? bare : orchestrated).run();
        (bareFirst ? orchestrated : bare).run();
    }

    /**
     * A bare {@code pgbackrest restore --type=time --target-action=promote} into an empty directory,
     * the copy started, and waited for until it has promoted.
     */
    private static void bareRestore(List<String> bare, Map<String, String> password, Path into, Instant target, ExternalTools tools,
            ClusterLogin superuser) throws Exception {
        String moment = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx").format(target.atOffset(ZoneOffset.UTC));
        run(password, concat(bare, "--pg1-path=" + into.toAbsolutePath(), "--type=time", "--target=" + moment, "--target-action=promote",
                "--archive-mode=off", "restore"));
        try (ScratchCluster copy = ScratchCluster.start(tools, into, superuser)) {
            copy.awaitPromoted(Duration.ofHours(1));
        }
    }

    private static String[] concat(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
