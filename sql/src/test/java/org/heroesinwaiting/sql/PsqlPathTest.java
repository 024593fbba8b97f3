package org.heroesinwaiting.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.heroesinwaiting.sql.ClientTools.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DBA's path: the deployment guide's Step 1 with plain psql, against the loader's path. */
class PsqlPathTest {

    private static final String HISTORY = """
            SELECT installed_rank, version, description, type, script, installed_by, success
              FROM flyway_schema_history ORDER BY installed_rank""";

    @Test
    void theGuidesStepOneWorksVerbatimFromTheSqlFolder() {
        String database = guideInstall();
        DataSource superuser = TestCluster.superuser(database);

        List<String> expected = new ArrayList<>();
        List<String> scripts = HeroesDatabase.migrationScripts();
        for (int i = 0; i < scripts.size(); i++) {
            String script = scripts.get(i);
            String version = script.substring(1, script.indexOf("__"));
            String description = script.substring(script.indexOf("__") + 2, script.length() - 4).replace('_', ' ');
            expected.add((i + 1) + "|" + version + "|" + description + "|SQL|" + script + "|heroes_owner|t");
        }
        assertThat(TestCluster.query(superuser, HISTORY)).containsExactlyElementsOf(expected);
        assertThat(TestCluster.query(superuser,
                "SELECT DISTINCT pg_get_userbyid(c.relowner) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname IN ('public', 'app') AND c.relkind IN ('r', 'v', 'i', 'S', 'p') "
                        // extension members belong to the superuser who created the extension
                        + "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')"))
                .containsExactly("heroes_owner");
    }

    @Test
    void thePsqlPathAndTheFlywayPathGiveTheSameCatalog() {
        String viaPsql = guideInstall();
        String viaFlyway = TestCluster.migratedDatabase();

        String psqlSchema = schema(viaPsql, "--exclude-table=flyway_schema_history");
        String flywaySchema = schema(viaFlyway, "--exclude-table=flyway_schema_history");

        assertThat(psqlSchema).contains("CREATE FUNCTION app.set_context", "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        assertThat(psqlSchema).isEqualTo(flywaySchema);
        // The history table too, so that either path can continue the other's.
        assertThat(schema(viaPsql, "--table=flyway_schema_history"))
                .contains("CREATE TABLE public.flyway_schema_history")
                .isEqualTo(schema(viaFlyway, "--table=flyway_schema_history"));
        assertThat(TestCluster.query(TestCluster.superuser(viaPsql), HISTORY))
                .isEqualTo(TestCluster.query(TestCluster.superuser(viaFlyway), HISTORY));
    }

    @Test
    void theLoaderContinuesADatabaseInstalledWithPsql() {
        String viaPsql = guideInstall();
        String viaFlyway = TestCluster.migratedDatabase();
        String checksums = "SELECT version, checksum FROM flyway_schema_history ORDER BY installed_rank";
        assertThat(TestCluster.query(TestCluster.superuser(viaPsql), checksums))
                .hasSize(HeroesDatabase.migrationScripts().size())
                .allMatch(row -> row.endsWith("|null"));

        MigrationResult result = HeroesDatabase.migrate(TestCluster.login(HeroesDatabase.OWNER, viaPsql));

        assertThat(result.adoptedFromPsql()).isEqualTo(HeroesDatabase.migrationScripts().size());
        assertThat(result.applied()).isEmpty();
        assertThat(TestCluster.query(TestCluster.superuser(viaPsql), checksums))
                .isEqualTo(TestCluster.query(TestCluster.superuser(viaFlyway), checksums));
        assertThat(HeroesDatabase.migrate(TestCluster.login(HeroesDatabase.OWNER, viaPsql)).adoptedFromPsql()).isZero();
    }

    @Test
    void psqlContinuesADatabaseTheLoaderInstalled() {
        String viaFlyway = TestCluster.migratedDatabase();
        var before = TestCluster.query(TestCluster.superuser(viaFlyway), HISTORY);

        Outcome outcome = psql(viaFlyway, "database_schema.sql");

        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("already applied: V001__base.sql").doesNotContain("applying V001");
        assertThat(TestCluster.query(TestCluster.superuser(viaFlyway), HISTORY)).isEqualTo(before);
    }

    @Test
    void psqlStopsAtTheFirstError() {
        String database = TestCluster.createDatabase();
        String plainDba = TestCluster.plainLogin();

        Outcome outcome = ClientTools.run(ClientTools.sqlFolder(),
                "psql", "-U", plainDba, "-d", database, "-f", "database_schema.sql");

        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.output()).contains("bootstrap.sql must be run by a superuser");
        assertThat(TestCluster.query(TestCluster.superuser(database),
                "SELECT to_regclass('flyway_schema_history') IS NULL, to_regnamespace('app') IS NULL, "
                        + "(SELECT count(*) FROM pg_extension WHERE extname <> 'plpgsql')"))
                .containsExactly("t|t|0");
    }

    @Test
    void theLastGuideFileAloneInstallsEveryMigrationAsFlywayDoes() {
        String database = TestCluster.createDatabase();
        String viaFlyway = TestCluster.migratedDatabase();

        Outcome backup = psql(database, "backup_disaster_recovery.sql");

        assertThat(backup.exitCode()).as(backup.output()).isZero();
        assertThat(TestCluster.query(TestCluster.superuser(database), HISTORY))
                .isEqualTo(TestCluster.query(TestCluster.superuser(viaFlyway), HISTORY));
    }

    /**
     * A feature of the first guide file that arrives after one of the last: the first file stops
     * before the later part's migration (never applying its own next one early), and the last
     * applies both, in version order, which is Flyway's.
     */
    @Test
    void aSchemaMigrationAfterABackupMigrationIsAppliedInVersionOrder(@TempDir Path copy) throws IOException {
        copySqlFolder(copy);
        Files.writeString(copy.resolve("migrations/V900__backup_probe.sql"), "CREATE TABLE backup_probe (id int);\n");
        Files.writeString(copy.resolve("migrations/V901__schema_probe.sql"), "ALTER TABLE backup_probe ADD COLUMN note text;\n");
        Files.writeString(copy.resolve("psql/migrations.sql"), """

                \\set migration V900__backup_probe.sql
                \\set part backup
                \\ir apply_migration.sql

                \\set migration V901__schema_probe.sql
                \\set part schema
                \\ir apply_migration.sql
                """, StandardOpenOption.APPEND);
        String database = TestCluster.createDatabase();
        String versions = "SELECT coalesce(string_agg(version, ' ' ORDER BY installed_rank), 'none') FROM flyway_schema_history WHERE version >= '9'";

        Outcome schema = ClientTools.run(copy, "psql", "-d", database, "-f", "database_schema.sql");

        assertThat(schema.exitCode()).as(schema.output()).isZero();
        assertThat(schema.output()).contains("later part: V900__backup_probe.sql", "later part: V901__schema_probe.sql");
        assertThat(TestCluster.query(TestCluster.superuser(database), versions)).containsExactly("none");

        Outcome backup = ClientTools.run(copy, "psql", "-d", database, "-f", "backup_disaster_recovery.sql");

        assertThat(backup.exitCode()).as(backup.output()).isZero();
        assertThat(backup.output()).contains("already applied: V001__base.sql", "applying V900__backup_probe.sql",
                "applying V901__schema_probe.sql");
        assertThat(TestCluster.query(TestCluster.superuser(database), versions)).containsExactly("900 901");
    }

    /** psql/migrations.sql is the one ordered list: exactly the files of migrations/, in version order, each with its part. */
    @Test
    void theMigrationListNamesEveryMigrationInVersionOrderWithItsPart() throws IOException {
        List<String> listed = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (String line : Files.readAllLines(ClientTools.sqlFolder().resolve("psql/migrations.sql"))) {
            if (line.startsWith("\\set migration ")) {
                listed.add(line.substring("\\set migration ".length()).strip());
            } else if (line.startsWith("\\set part ")) {
                parts.add(line.substring("\\set part ".length()).strip());
            }
        }

        assertThat(listed).isEqualTo(HeroesDatabase.migrationScripts());
        assertThat(parts).hasSameSizeAs(listed).allMatch(part -> List.of("schema", "retention", "backup").contains(part));
    }

    private static void copySqlFolder(Path copy) throws IOException {
        Path folder = ClientTools.sqlFolder();
        for (String directory : new String[] {"", "psql", "migrations"}) {
            Files.createDirectories(copy.resolve(directory));
            try (var files = Files.list(folder.resolve(directory))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".sql")).toList()) {
                    Files.copy(file, copy.resolve(directory).resolve(file.getFileName()));
                }
            }
        }
    }

    @Test
    void createUsersSqlPassesPsqlVariablesToTheProcedure() {
        String database = guideInstall();
        DataSource superuser = TestCluster.superuser(database);
        String verifiers = "SELECT rolname || ' ' || (rolpassword IS NOT NULL) FROM pg_authid "
                + "WHERE rolname IN ('heroes_app', 'heroes_analytics') ORDER BY 1";
        Outcome withoutVariables = ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-f", "create_users.sql");
        assertThat(withoutVariables.exitCode()).as(withoutVariables.output()).isZero();
        TestCluster.execute(superuser, "ALTER ROLE heroes_app PASSWORD NULL");
        TestCluster.execute(superuser, "ALTER ROLE heroes_analytics PASSWORD NULL");

        Outcome withPassword = ClientTools.run(ClientTools.sqlFolder(),
                "psql", "-d", database, "-v", "app_password=a password of some length", "-f", "create_users.sql");
        assertThat(withPassword.exitCode()).as(withPassword.output()).isZero();
        assertThat(TestCluster.query(superuser, verifiers)).containsExactly("heroes_analytics false", "heroes_app true");

        Outcome tooShort = ClientTools.run(ClientTools.sqlFolder(),
                "psql", "-d", database, "-v", "analytics_password=short", "-f", "create_users.sql");
        assertThat(tooShort.exitCode()).isEqualTo(3);
        assertThat(tooShort.output()).contains("the password for heroes_analytics must have at least 12 characters");
    }

    @Test
    void aDatabaseRunByCronAloneNeverRefusesAnAuditedWriteAndTheCrontabFilesItsRecords() throws java.io.IOException {
        String database = guideInstall();
        DataSource superuser = TestCluster.superuser(database);
        // months pass with no server and no upkeep: every partition made at install time has run out
        for (String partition : TestCluster.query(superuser, """
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'audit_log'::regclass AND c.relname <> 'audit_log_default'""")) {
            TestCluster.execute(superuser, "DROP TABLE " + partition);
        }

        TestCluster.execute(superuser, """
                INSERT INTO facilitators (email, password_hash, display_name)
                VALUES ('t@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'T')""");
        assertThat(TestCluster.query(superuser, "SELECT count(*) FROM audit_log_default")).containsExactly("1");

        List<List<String>> lines = crontab(database);
        assertThat(lines).hasSize(6);
        for (List<String> command : lines) {
            Outcome outcome = ClientTools.run(ClientTools.sqlFolder(), command.toArray(String[]::new));
            assertThat(outcome.exitCode()).as(String.join(" ", command) + ":\n" + outcome.output()).isZero();
        }

        assertThat(TestCluster.query(superuser, "SELECT count(*) FROM audit_log_default")).as("moved out").containsExactly("0");
        assertThat(TestCluster.query(superuser, "SELECT count(*) FROM audit_log WHERE table_name = 'facilitators'")).containsExactly("1");
        assertThat(TestCluster.query(superuser, """
                SELECT count(*) FROM generate_series(0, 3) AS i
                 WHERE to_regclass(to_char(date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i),
                                           '"audit_log_y"YYYY"m"MM')) IS NOT NULL""")).containsExactly("4");
    }

    @Test
    void theGuidesRetentionLinesWorkVerbatimInPsql() {
        String database = guideInstall();
        DataSource superuser = TestCluster.superuser(database);
        // a student who joined 30 months ago, and a login attempt of 100 days ago
        TestCluster.execute(superuser, """
                INSERT INTO facilitators (email, password_hash, display_name)
                VALUES ('t@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'T');
                INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                SELECT id, 'Room', 'MMMMNNNN', 5 FROM facilitators;
                INSERT INTO student_sessions (classroom_id, session_token_hash, demographic_data, created_at, expires_at, last_seen_at)
                SELECT id, sha256('s'), '{"age_range":"10-11","grade_level":5}', now() - interval '30 months',
                       now() - interval '30 months' + interval '8 hours', now() - interval '30 months' FROM classrooms;
                INSERT INTO auth_attempts (email_hash, outcome, attempted_at) VALUES (sha256('t'), 'bad_credentials', now() - interval '100 days')""");

        // the guide's lines, each as written (Step 3's cron line, then Data Retention Implementation, then Monitoring)
        String[] lines = {"SELECT * FROM execute_data_retention_policy('student_feedback');", "SELECT execute_data_retention_policy();",
            "SELECT * FROM execute_data_retention_policy();", "SELECT * FROM get_retention_status();",
            "SELECT * FROM retention_policy_status;", "SELECT * FROM generate_retention_report('2025-05-01', '2025-06-01');"};
        List<String> outputs = new ArrayList<>();
        for (String line : lines) {
            Outcome outcome = ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-c", line);
            assertThat(outcome.exitCode()).as(line + ":\n" + outcome.output()).isZero();
            outputs.add(outcome.output());
        }

        assertThat(outputs.get(0)).contains("student_feedback", "(1 row)");
        assertThat(outputs.get(1)).contains("(student_sessions,1,0,0)", "(auth_attempts,0,1,0)", "(10 rows)");
        assertThat(outputs.get(2)).contains("(10 rows)");
        assertThat(outputs.get(3)).contains("live_rows", "eligible_now", "student_sessions_archive", "(10 rows)");
        assertThat(outputs.get(4)).contains("waiting_past_period", "(8 rows)");
        assertThat(outputs.get(5)).contains("failed_runs", "(0 rows)");
        assertThat(TestCluster.query(superuser, "SELECT count(*) FROM student_sessions_archive")).containsExactly("1");
        assertThat(TestCluster.query(superuser, "SELECT count(*) FROM auth_attempts")).containsExactly("0");
    }

    @Test
    void theGuidesBackupLinesWorkVerbatimInPsql() {
        String database = guideInstall();
        DataSource superuser = TestCluster.superuser(database);
        // a weekly full backup made four years ago (past its three years) and one made last week
        TestCluster.execute(superuser, """
                INSERT INTO backup_log (kind, format, schedule_id, database_name, started_at, finished_at, status, retention_class,
                                        expires_at, snapshot_at)
                SELECT 'full', 'custom', s.id, current_database(), t, t + interval '5 minutes', 'succeeded', 'full', t + s.keep_for, t
                  FROM backup_schedules s, (VALUES (now() - interval '4 years'), (now() - interval '7 days')) AS v(t)
                 WHERE s.name = 'weekly-full'""");

        // the guide's lines, as written (Step 3's cron line, then Monitoring)
        Outcome cleanup = ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-c", "SELECT * FROM cleanup_old_backups();");
        Outcome report = ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-c",
                "SELECT * FROM generate_backup_health_report(30);");

        assertThat(cleanup.exitCode()).as(cleanup.output()).isZero();
        assertThat(cleanup.output()).contains("backup_id", "full", "(1 row)");
        assertThat(report.exitCode()).as(report.output()).isZero();
        assertThat(report.output()).contains("missed_schedules", "newest_restorable_point", "physical-full", "(4 rows)");
        assertThat(TestCluster.query(superuser, "SELECT status FROM backup_log ORDER BY started_at")).containsExactly("expired", "succeeded");

        // the guide's recovery lines, as written, with a real backup_log id: each records a request and returns its id
        String backupLogId = TestCluster.query(superuser, "SELECT id FROM backup_log WHERE status = 'succeeded'").get(0);
        Outcome pointInTime = ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-c",
                "SELECT initiate_recovery('point_in_time', NULL, '2025-06-20 14:30:00'::TIMESTAMP);");
        Outcome tableRestore = ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-c",
                "SELECT initiate_recovery('table_restore', " + backupLogId + ", NULL, ARRAY['student_feedback', 'classroom_sessions']);");
        Outcome wrong = ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-c",
                "SELECT initiate_recovery('table_restore', " + backupLogId + ", NULL, ARRAY['student_feedbak']);");

        Outcome plan = ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-c",
                "SELECT execute_disaster_recovery_plan('database_corruption', 'high');");
        assertThat(plan.exitCode()).as(plan.output()).isZero();
        assertThat(plan.output()).contains("execute_disaster_recovery_plan", "Declare the incident", "initiate_recovery", "(5 rows)");
        assertThat(pointInTime.exitCode()).as(pointInTime.output()).isZero();
        assertThat(pointInTime.output()).contains("initiate_recovery", "(1 row)");
        assertThat(tableRestore.exitCode()).as(tableRestore.output()).isZero();
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.output()).contains("no table public.student_feedbak here");
        assertThat(TestCluster.query(superuser, """
                SELECT kind || '|' || status || '|' || coalesce(to_char(target_time AT TIME ZONE target_zone, 'YYYY-MM-DD HH24:MI'), '-')
                       || '|' || coalesce(array_to_string(tables, ','), '-') FROM recovery_log ORDER BY id"""))
                .containsExactly("point-in-time|requested|2025-06-20 14:30|-", "tables|requested|-|student_feedback,classroom_sessions");
    }

    /**
     * The commands of sql/crontab, for this database: each line's fields after the five of its
     * schedule, up to the log redirection, split as sh would split them (single quotes only).
     */
    private static List<List<String>> crontab(String database) throws java.io.IOException {
        List<List<String>> commands = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(ClientTools.sqlFolder().resolve("crontab"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String command = line.trim().split("\\s+", 6)[5];
            command = command.substring(0, command.indexOf(" >>"));
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            boolean quoted = false;
            for (char c : command.toCharArray()) {
                if (c == '\'') {
                    quoted = !quoted;
                } else if (c == ' ' && !quoted) {
                    if (word.length() > 0) {
                        words.add(word.toString());
                        word.setLength(0);
                    }
                } else {
                    word.append(c);
                }
            }
            words.add(word.toString());
            words.replaceAll(w -> w.equals("heroes_in_waiting") ? database : w);
            commands.add(words);
        }
        return commands;
    }

    /** createdb, then psql -d DB -f each of the three files, with no other flags, from sql/. */
    private static String guideInstall() {
        String database = "heroes_in_waiting_" + TestCluster.createDatabase();
        Outcome createdb = ClientTools.run(ClientTools.sqlFolder(), "createdb", database);
        assertThat(createdb.exitCode()).as(createdb.output()).isZero();
        for (String file : new String[] {"database_schema.sql", "data_retention_policies.sql", "backup_disaster_recovery.sql"}) {
            Outcome outcome = psql(database, file);
            assertThat(outcome.exitCode()).as(file + ":\n" + outcome.output()).isZero();
        }
        return database;
    }

    private static Outcome psql(String database, String file) {
        return ClientTools.run(ClientTools.sqlFolder(), "psql", "-d", database, "-f", file);
    }

    /** pg_dump's schema, without its comments and the random keys of \restrict. */
    private static String schema(String database, String selection) {
        Path folder = ClientTools.sqlFolder();
        Outcome dump = ClientTools.run(folder, "pg_dump", "--schema-only", selection, database);
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        return Arrays.stream(dump.output().split("\n"))
                .filter(line -> !line.startsWith("--"))
                .filter(line -> !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
                .collect(Collectors.joining("\n"));
    }
}
