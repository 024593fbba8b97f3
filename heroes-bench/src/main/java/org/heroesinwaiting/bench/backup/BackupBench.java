package org.heroesinwaiting.bench.backup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.persistence.DatabaseSettings;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.PooledDataSources;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupKeyring;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupResult;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.retention.recovery.RestoreResult;
import org.heroesinwaiting.retention.recovery.RestoreService;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.TestDatabase;
import org.heroesinwaiting.testkit.TestDatabases;
import org.heroesinwaiting.testkit.TestkitSettings;

/**
 * A full backup and a full restore of a database the size of one year of the guide's growth (500
 * facilitators, 1,500 classrooms, 45,000 student sessions, 540,000 progress rows, 270,000 feedback
 * rows, and the audit rows their writes made), each against the bare tool in the same run:
 * {@link BackupService} (pg_dump with an exported snapshot, the row counts, the SHA-256, fsync and
 * rename, the catalog) against {@code pg_dump -Fc -f file}; {@link RestoreService#restore} (a new
 * database, pg_restore, then every table's rows compared) against {@code createdb} and {@code
 * pg_restore -d}; and the same backup encrypted (AES-256-GCM), beside them. Rounds alternate them (default 3); prints each, the
 * medians' ratios (goals:
 * at most 1.15x and 1.2x the bare tool's time) and the restore time per GB of backup that the RTO
 * follows from.
 *
 * <pre>
 * java -cp heroes-bench/target/heroes-bench.jar org.heroesinwaiting.bench.backup.BackupBench [rounds]
 * </pre>
 */
public final class BackupBench {

    private BackupBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path work = Files.createTempDirectory("heroes-backup-bench");
        try (TestDatabases databases = TestDatabases.start(TestkitSettings.embedded()); TestDatabase database = databases.create()) {
            System.out.println("writing one year of the guide's growth...");
            long started = System.nanoTime();
            oneYear(database.dataSource(DatabaseLogin.OWNER));
            System.out.printf(Locale.ROOT, "  written in %.0f s%n", (System.nanoTime() - started) / 1e9);
            ExternalTools tools = ExternalTools.system();
            Path pgDump = tools.postgres("pg_dump", 15);
            Path pgRestore = tools.postgres("pg_restore", 15);
            ClusterLogin superuser = new ClusterLogin(database.host(), database.port(), "postgres", "");
            try (var pool = PooledDataSources.forApplication(DatabaseSettings.of(database.jdbcUrl(), "heroes_app",
                    database.password(DatabaseLogin.APP)))) {
                TransactionRunner catalog = new TransactionRunner(HeroesJdbi.create(pool));
                BackupService backups = new BackupService(catalog, BackupTarget.of(database.jdbcUrl(), "heroes_backup",
                        database.password(DatabaseLogin.BACKUP)), work.resolve("backups"), tools, Clock.systemUTC());
                RestoreService restores = new RestoreService(catalog, superuser, tools);
                backups.run(BackupRequest.manual(BackupKind.FULL)); // warms the JVM's path and the database's cache

                List<Double> rawDumps = new ArrayList<>();
                List<Double> dumps = new ArrayList<>();
                List<Double> sealedDumps = new ArrayList<>();
                BackupService sealing = backups.withKeys(BackupKeyring.of(Map.of("bench", new byte[32])));
                List<Double> rawRestores = new ArrayList<>();
                List<Double> restoresTimed = new ArrayList<>();
                long size = 0;
                for (int round = 1; round <= rounds; round++) {
                    Path raw = work.resolve("raw-" + round + ".dump");
                    rawDumps.add(seconds(() -> run(Map.of("PGPASSWORD", database.password(DatabaseLogin.BACKUP)), pgDump.toString(),
                            "-Fc", "-h", database.host(), "-p", Integer.toString(database.port()), "-U", "heroes_backup", "-d", database.name(),
                            "-f", raw.toString())));
                    BackupResult[] made = new BackupResult[1];
                    dumps.add(seconds(() -> made[0] = backups.run(BackupRequest.manual(BackupKind.FULL))));
                    size = made[0].sizeBytes();
                    sealedDumps.add(seconds(() -> sealing.run(BackupRequest.manual(BackupKind.FULL))));
                    String rawCopy = "bench_raw_" + round;
                    rawRestores.add(seconds(() -> {
                        createDatabase(superuser, rawCopy);
                        run(Map.of(), pgRestore.toString(), "-h", database.host(), "-p", Integer.toString(database.port()), "-U", "postgres",
                                "-d", rawCopy, raw.toString());
                    }));
                    RestoreResult[] restored = new RestoreResult[1];
                    long id = made[0].id();
                    String copy = "bench_copy_" + round;
                    restoresTimed.add(seconds(() -> restored[0] = restores.restore(id, copy)));
                    System.out.printf(Locale.ROOT, "round %d: pg_dump -Fc %.2f s, BackupService %.2f s (%,d bytes), encrypted %.2f s;"
                            + " pg_restore %.2f s, RestoreService %.2f s%n", round, rawDumps.get(round - 1), dumps.get(round - 1), size,
                            sealedDumps.get(round - 1), rawRestores.get(round - 1), restoresTimed.get(round - 1));
                    dropDatabase(superuser, rawCopy);
                    dropDatabase(superuser, copy);
                    Files.deleteIfExists(raw);
                }
                double dumpRatio = median(dumps) / median(rawDumps);
                double restoreRatio = median(restoresTimed) / median(rawRestores);
                System.out.printf(Locale.ROOT, "backup: BackupService %.2f s against pg_dump -Fc %.2f s (medians of %d): %.2fx the time"
                        + " (goal: at most 1.15x)%n", median(dumps), median(rawDumps), rounds, dumpRatio);
                System.out.printf(Locale.ROOT, "backup, encrypted (AES-256-GCM): %.2f s, %.2fx pg_dump -Fc's time%n", median(sealedDumps),
                        median(sealedDumps) / median(rawDumps));
                System.out.printf(Locale.ROOT, "restore: RestoreService %.2f s against createdb + pg_restore %.2f s: %.2fx the time"
                        + " (goal: at most 1.2x)%n", median(restoresTimed), median(rawRestores), restoreRatio);
                double perGb = median(restoresTimed) / (size / 1e9);
                System.out.printf(Locale.ROOT, "RTO: %.0f s of restore per GB of custom-format backup (%.1f min per GB) on this machine;"
                        + " the guide's 4 hours covers %.0f GB%n", perGb, perGb / 60, 4 * 3600 / perGb);
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(Collections.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /** One year of the guide's growth, written as the owner with the audit triggers on. */
    static void oneYear(DataSource owner) throws Exception {
        try (Connection connection = owner.getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("""
                    INSERT INTO lessons (lesson_number, title) SELECT n, 'Lesson ' || n FROM generate_series(1, 12) n ON CONFLICT DO NOTHING;
                    INSERT INTO lesson_content (lesson_id, content_type, title, order_index, file_path)
                    SELECT l.id, 'handout', 'Handout', 0, 'lesson/handout.txt' FROM lessons l
                     WHERE NOT EXISTS (SELECT 1 FROM lesson_content c WHERE c.lesson_id = l.id);
                    INSERT INTO facilitators (email, password_hash, display_name)
                    SELECT 'teacher' || n || '@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'Teacher ' || n
                      FROM generate_series(1, 500) n;
                    INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                    SELECT f.id, 'Room ' || k, translate(lpad(to_hex(row_number() OVER ()), 8, '0'), '0123456789abcdef', 'ABCDEFGHJKMNPQRS'),
                           4 + k % 3
                      FROM facilitators f CROSS JOIN generate_series(1, 3) k;
                    INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at, last_seen_at,
                                                  ended_at)
                    SELECT c.id, sha256(convert_to(c.id::text || s, 'UTF8')), '{"age_range":"10-11","grade_level":5}',
                           now() - make_interval(days => s * 12), now() - make_interval(days => s * 12) + interval '8 hours',
                           now() - make_interval(days => s * 12) + interval '50 minutes', now() - make_interval(days => s * 12) + interval '8 hours'
                      FROM classrooms c CROSS JOIN generate_series(1, 30) s;
                    INSERT INTO student_progress (student_session_id, classroom_id, lesson_id, lesson_content_id, status, started_at,
                                                  completed_at, time_spent_seconds, idempotency_key, recorded_at)
                    SELECT s.id, s.classroom_id, l.id, lc.id, 'completed', s.created_at + make_interval(mins => l.lesson_number),
                           s.created_at + make_interval(mins => l.lesson_number + 10), 600, 'progress-' || l.lesson_number,
                           s.created_at + make_interval(mins => l.lesson_number + 10)
                      FROM student_sessions s CROSS JOIN lessons l JOIN lesson_content lc ON lc.lesson_id = l.id;
                    INSERT INTO student_feedback (student_session_id, classroom_id, lesson_id, rating, mood, answers, submitted_at,
                                                  idempotency_key)
                    SELECT s.id, s.classroom_id, l.id, 1 + l.lesson_number % 5, 'happy', '{"liked":"yes"}', s.created_at + interval '45 minutes',
                           'feedback-' || l.lesson_number
                      FROM student_sessions s JOIN lessons l ON l.lesson_number <= 6""");
            sql.execute("VACUUM (ANALYZE)");
        }
    }

    /** Timed work. */
    interface Work {
        void run() throws Exception;
    }

    /** @return how long the work took, in seconds */
    static double seconds(Work work) {
        long started = System.nanoTime();
        try {
            work.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return (System.nanoTime() - started) / 1e9;
    }

    /** Runs a program, failing with its output when it fails. */
    static void run(Map<String, String> environment, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static void createDatabase(ClusterLogin superuser, String name) throws Exception {
        try (Connection connection = java.sql.DriverManager.getConnection(superuser.jdbcUrl("postgres"), superuser.user(), superuser.password());
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE DATABASE " + name);
        }
    }

    private static void dropDatabase(ClusterLogin superuser, String name) throws Exception {
        try (Connection connection = java.sql.DriverManager.getConnection(superuser.jdbcUrl("postgres"), superuser.user(), superuser.password());
                Statement sql = connection.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
