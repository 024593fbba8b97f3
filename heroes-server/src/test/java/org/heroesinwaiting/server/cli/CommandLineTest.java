package org.heroesinwaiting.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.heroesinwaiting.server.Main;
import org.heroesinwaiting.server.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

    @TempDir
    Path dataDir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void anInvalidVariableStopsWithOneLineNamingIt() {
        Outcome outcome = run(Map.of("HEROES_PORT", "eighty"), "jobs", "list");

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err().strip()).isEqualTo("heroes: HEROES_PORT: must be a port number from 0 to 65535, not 'eighty'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"serve", "migrate", "db bootstrap", "db create-users", "jobs list", "jobs run", "db", "jobs",
        "admin", "admin create", "curriculum", "curriculum import", "retention", "retention run", "retention status",
        "retention report", "backup", "backup run", "backup list", "backup verify", "backup cleanup", "restore", "restore full",
        "restore tables"})
    void everyCommandHasHelpEvenWhenTheEnvironmentIsWrong(String command) {
        String[] args = (command + " --help").split(" ");

        Outcome outcome = run(Map.of("HEROES_PORT", "eighty"), args);

        assertThat(outcome.code()).isZero();
        assertThat(outcome.out()).contains("Usage: heroes " + command);
    }

    @Test
    void theTopLevelHelpListsTheCommands() {
        Outcome outcome = run(Map.of(), "--help");

        assertThat(outcome.code()).isZero();
        assertThat(outcome.out()).contains("serve", "migrate", "db", "jobs");
    }

    @Test
    void passwordsAreNeverTakenFromArguments() {
        Outcome outcome = run(Map.of(), "db", "create-users", "--password", "hunter2-hunter2");

        assertThat(outcome.code()).isEqualTo(2);
        assertThat(outcome.err()).contains("Unknown option");
    }

    @Test
    void commandsUseTheEmbeddedDatabaseThatServeRuns() {
        Map<String, String> environment = new HashMap<>();
        environment.put("HEROES_DATA_DIR", dataDir.toString());
        try (EmbeddedDatabase serving = EmbeddedDatabase.start(dataDir)) {
            Outcome migrate = run(environment, "migrate");
            Outcome bootstrap = run(environment, "db", "bootstrap");
            Outcome users = run(environment, "db", "create-users");
            Outcome runJob = run(environment, "jobs", "run", "expire-sessions");
            Outcome unknownJob = run(environment, "jobs", "run", "make-coffee");
            Outcome list = run(environment, "jobs", "list");
            Outcome dryRun = run(environment, "retention", "run", "--dry-run");
            Outcome retention = run(environment, "retention", "run", "--json");
            Outcome unknownTable = run(environment, "retention", "run", "--table", "students");
            Outcome status = run(environment, "retention", "status");
            Outcome report = run(environment, "retention", "report", "--from", "2000-01-01", "--to", "2999-01-01", "--json");
            Outcome badDate = run(environment, "retention", "report", "--from", "2000-02-30", "--to", "2999-01-01");
            Outcome analytics = run(environment, "analytics", "refresh");
            // two months back to one month back: two months, on every date (the database shares this machine's clock)
            java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
            Outcome analyticsJson = run(environment, "analytics", "refresh", "--from", today.minusMonths(2).toString(), "--to",
                    today.minusMonths(1).toString(), "--json");
            Outcome analyticsUpsideDown = run(environment, "analytics", "refresh", "--from", "2026-02-01", "--to", "2026-01-01");
            Outcome analyticsToAlone = run(environment, "analytics", "refresh", "--to", "2026-01-01");

            assertThat(migrate.code()).as(migrate.err()).isZero();
            assertThat(migrate.out()).contains("heroes_in_waiting: version", "applied nothing");
            assertThat(bootstrap.code()).as(bootstrap.err()).isZero();
            assertThat(bootstrap.out()).contains("heroes_in_waiting on PostgreSQL 15", "pg_stat_statements");
            assertThat(users.code()).as(users.err()).isZero();
            assertThat(users.out()).contains("heroes_app");
            assertThat(runJob.code()).as(runJob.err()).isZero();
            assertThat(runJob.out()).startsWith("expire-sessions succeeded");
            assertThat(unknownJob.code()).isEqualTo(2);
            assertThat(unknownJob.err()).contains("no job named make-coffee", "expire-sessions");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains("expire-sessions", "0 */15 * * * ?", "succeeded (command)");
            assertThat(dryRun.code()).as(dryRun.err()).isZero();
            assertThat(dryRun.out()).contains("WOULD MOVE", "student_sessions", "as of ", "would archive 0 and purge 0 rows");
            assertThat(retention.code()).as(retention.err()).isZero();
            assertThat(retention.out()).startsWith("{\"run_id\":").contains("\"dry_run\":false", "\"table\":\"audit_log\"");
            assertThat(unknownTable.code()).isEqualTo(1);
            assertThat(unknownTable.err()).contains("retention does not govern the table students; it governs student_sessions");
            assertThat(status.code()).as(status.err()).isZero();
            assertThat(status.out()).contains("LIVE FOR", "auth_attempts", "90 days", "nothing waits past its period");
            assertThat(report.code()).as(report.err()).isZero();
            assertThat(report.out()).startsWith("{\"days\":[").contains("\"table\":\"job_runs\"", "\"runs\":1");
            assertThat(analytics.code()).as(analytics.err()).isZero();
            assertThat(analytics.out()).contains("ROLLUP", "analytics_lesson_rollup", "analytics_engagement_rollup");
            assertThat(analyticsJson.code()).as(analyticsJson.err()).isZero();
            assertThat(analyticsJson.out()).startsWith("{\"rollups\":[").contains("{\"rollup\":\"analytics_feedback_rollup\",\"periods\":2,");
            assertThat(analyticsUpsideDown.code()).isEqualTo(1);
            assertThat(analyticsUpsideDown.err()).contains("from must be on or before to");
            assertThat(analyticsToAlone.code()).isEqualTo(2);
            assertThat(analyticsToAlone.err()).contains("--to needs --from");
            assertThat(badDate.code()).isEqualTo(2);
            assertThat(serving.ownsCluster()).isTrue();
        }
    }

    @Test
    void backupsAreMadeListedVerifiedRestoredAndCleanedUpFromTheCommandLine() {
        Map<String, String> environment = new HashMap<>();
        environment.put("HEROES_DATA_DIR", dataDir.toString());
        try (EmbeddedDatabase serving = EmbeddedDatabase.start(dataDir)) {
            Outcome backup = run(environment, "backup", "run", "--json");
            Outcome plain = run(environment, "backup", "run", "--kind", "archive", "--format", "plain-gzip", "--schedule", "monthly-archive");
            Outcome badKind = run(environment, "backup", "run", "--kind", "weekly");
            Outcome badSchedule = run(environment, "backup", "run", "--schedule", "nightly");
            Outcome list = run(environment, "backup", "list");
            Outcome verify = run(environment, "backup", "verify", "1");
            Outcome missing = run(environment, "backup", "verify", "99");
            Outcome restore = run(environment, "restore", "full", "1", "--into", "heroes_copy", "--json");
            Outcome overLive = run(environment, "restore", "full", "1", "--into", "heroes_in_waiting");
            Outcome tables = run(environment, "restore", "tables", "1", "--tables", "student_feedback,classroom_sessions", "--mode", "add-missing");
            Outcome badMode = run(environment, "restore", "tables", "1", "--tables", "student_feedback", "--mode", "merge");
            Outcome cleanup = run(environment, "backup", "cleanup", "--json");
            Map<String, String> encrypting = new HashMap<>(environment);
            encrypting.put("HEROES_BACKUP_KEYS", keyring().toString());
            Outcome sealed = run(encrypting, "backup", "run", "--json");
            Outcome sealedVerify = run(encrypting, "backup", "verify", "3");
            Outcome keyless = run(environment, "backup", "verify", "3");

            assertThat(backup.code()).as(backup.err()).isZero();
            assertThat(backup.out()).startsWith("{\"id\":1,\"kind\":\"full\",\"format\":\"custom\"").contains("\"sha256\":\"",
                    dataDir.resolve("backups").resolve("full").toString());
            assertThat(plain.code()).as(plain.err()).isZero();
            assertThat(plain.out()).startsWith("backup 2: archive (plain-gzip)").contains(".sql.gz", "sha256 ");
            assertThat(badKind.code()).isEqualTo(2);
            assertThat(badKind.err()).contains("--kind: a backup kind is full, archive, physical-full or daily, not weekly");
            assertThat(badSchedule.code()).isEqualTo(1);
            assertThat(badSchedule.err()).contains("no full schedule named nightly");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains("KIND", "full", "archive", "plain-gzip", "succeeded");
            assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out()).startsWith("backup 1 passed");
            assertThat(missing.code()).isEqualTo(1);
            assertThat(missing.err()).contains("there is no backup 99");
            assertThat(restore.code()).as(restore.err()).isZero();
            assertThat(restore.out()).contains("\"database\":\"heroes_copy\"", "\"bytes_per_second\":");
            assertThat(overLive.code()).isEqualTo(1);
            assertThat(overLive.err()).contains("heroes_in_waiting exists: a restore never writes over a database");
            assertThat(tables.code()).as(tables.err()).isZero();
            assertThat(tables.out()).contains("student_feedback", "classroom_sessions", "ADDED", "restored from backup 1 (add-missing)");
            assertThat(badMode.code()).isEqualTo(2);
            assertThat(cleanup.code()).as(cleanup.err()).isZero();
            assertThat(cleanup.out()).isEqualTo("{\"deleted\":[],\"files_deleted\":[],\"failures\":[]}\n");
            assertThat(sealed.code()).as(sealed.err()).isZero();
            assertThat(sealed.out()).startsWith("{\"id\":3,").contains("\"key_id\":\"cli-key\"", ".dump.enc");
            assertThat(sealedVerify.code()).as(sealedVerify.out() + sealedVerify.err()).isZero();
            assertThat(keyless.code()).isEqualTo(1);
            assertThat(keyless.out()).contains("FAILED", "encrypted with the key cli-key");

            // a disaster-recovery plan, step by step
            long plan = number(serving, "SELECT plan_id FROM execute_disaster_recovery_plan('accidental_deletion', 'medium') LIMIT 1");
            long tableRequest = number(serving, "SELECT initiate_recovery('table_restore', 1, NULL, ARRAY['student_feedback'])");
            Outcome misplaced = run(environment, "recover", Long.toString(tableRequest), "--in-place");
            assertThat(misplaced.code()).isEqualTo(1);
            assertThat(misplaced.err()).contains("--in-place and --into are for a point_in_time recovery; recovery " + tableRequest
                    + " is a tables restore");
            String p = Long.toString(plan);
            Outcome steps = run(environment, "recover", "--plan", p);
            Outcome found = run(environment, "recover", "--plan", p, "--step", "1", "--done", "the DELETE at 09:58 in audit_log");
            Outcome after = run(environment, "recover", "--plan", p);
            Outcome noPitr = run(environment, "recover", "--plan", p, "--step", "2", "--target", "2026-12-04T09:59:00Z", "--tables",
                    "student_feedback");
            Outcome badTime = run(environment, "recover", "--plan", p, "--step", "2", "--target", "yesterday");
            Outcome both = run(environment, "recover", "5", "--plan", p);
            Outcome noStep = run(environment, "recover", "--plan", p, "--step", "9", "--done", "x");
            Outcome byHand = run(environment, "recover", "--plan", p, "--step", "1", "--target", "2026-12-04T09:59:00Z");

            assertThat(steps.code()).as(steps.err()).isZero();
            assertThat(steps.out()).startsWith("plan " + plan + ": accidental_deletion (medium), logical-full")
                    .contains(" 2. SELECT initiate_recovery('table_restore'", "run: ./heroes recover --plan " + plan + " --step 2 --target <time> --tables")
                    .contains("when done: ./heroes recover --plan " + plan + " --step 1 --done");
            assertThat(found.code()).as(found.err()).isZero();
            assertThat(found.out()).isEqualTo("plan " + plan + ", step 1: done\n");
            assertThat(after.out()).containsPattern(" done by postgres: the DELETE at 09:58 in audit_log|done by heroes_app: the DELETE at 09:58 in audit_log");
            assertThat(noPitr.code()).isEqualTo(1);
            assertThat(noPitr.err()).contains("point-in-time recovery needs physical backups");
            assertThat(badTime.code()).isEqualTo(2);
            assertThat(badTime.err()).contains("--target: a time is 2026-12-04T09:59:00Z");
            assertThat(both.code()).isEqualTo(2);
            assertThat(noStep.code()).isEqualTo(1);
            assertThat(noStep.err()).contains("plan " + plan + " has steps 1 to 3, not 9");
            assertThat(byHand.code()).isEqualTo(1);
            assertThat(byHand.err()).contains("is one a person does");
            assertThat(number(serving, "SELECT count(*) FROM recovery_log WHERE kind = 'tables-to-time'"))
                    .as("a step refused records no request").isZero();
        }
    }

    /** One number, read as the embedded database's superuser. */
    private static long number(EmbeddedDatabase database, String query) {
        try (java.sql.Connection superuser = database.superuser().getConnection(); java.sql.Statement sql = superuser.createStatement();
                java.sql.ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private java.nio.file.Path keyring() {
        try {
            java.nio.file.Path file = dataDir.resolve("backup-keys");
            java.nio.file.Files.writeString(file, "cli-key " + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
            java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aCurriculumImportsOnceReportsEveryProblemByPathAndChangesNothingWhenBad() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("HEROES_DATA_DIR", dataDir.toString());
        java.nio.file.Path content = dataDir.resolve("lessons");
        org.heroesinwaiting.testkit.CurriculumFixtures.writeContent(content);
        java.nio.file.Path good = java.nio.file.Files.write(dataDir.resolve("good.json"), org.heroesinwaiting.testkit.CurriculumFixtures.manifest());
        java.nio.file.Path bad = java.nio.file.Files.write(dataDir.resolve("bad.json"), org.heroesinwaiting.testkit.CurriculumFixtures.manifest(
                (number, lesson) -> number == 12 ? lesson.add("lesson_number", 13) : lesson));
        try (EmbeddedDatabase serving = EmbeddedDatabase.start(dataDir)) {
            Outcome refused = run(environment, "curriculum", "import", bad.toString(), "--content-dir", content.toString());
            Outcome missingFiles = run(environment, "curriculum", "import", good.toString(), "--content-dir", dataDir.resolve("nowhere").toString());
            Outcome first = run(environment, "curriculum", "import", good.toString(), "--content-dir", content.toString());
            Outcome again = run(environment, "curriculum", "import", good.toString(), "--content-dir", content.toString());

            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("nothing changed", "$.lessons[11].lesson_number: must be 1 to 12, not 13",
                    "$.lessons: lesson 12 is missing");
            assertThat(missingFiles.code()).isEqualTo(1);
            assertThat(missingFiles.err()).contains("$.lessons[0].content[1].file: no file lesson-1/handout.txt");
            assertThat(first.code()).as(first.err()).isZero();
            assertThat(first.out()).contains("revision 1: 12 lessons");
            assertThat(again.out()).contains("nothing changed (revision 1)");
        }
    }

    @Test
    void theFirstAdministratorIsCreatedWithThePasswordFromTheEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("HEROES_DATA_DIR", dataDir.toString());
        environment.put("HEROES_ADMIN_PASSWORD", "a long admin passphrase here");
        try (EmbeddedDatabase serving = EmbeddedDatabase.start(dataDir)) {
            Outcome created = run(environment, "admin", "create", "--email", "Head@District.example", "--name", "Head Office");
            Outcome again = run(environment, "admin", "create", "--email", "head@district.example");
            environment.put("HEROES_ADMIN_PASSWORD", "password1234");
            Outcome weak = run(environment, "admin", "create", "--email", "other@district.example");

            assertThat(created.code()).as(created.err()).isZero();
            assertThat(created.out()).startsWith("administrator head@district.example created");
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.err()).contains("an account with this email exists");
            assertThat(weak.code()).isEqualTo(1);
            assertThat(weak.err()).contains("too weak");
            try (var pool = org.heroesinwaiting.persistence.PooledDataSources.create(
                    org.heroesinwaiting.persistence.DatabaseSettings.of(serving.jdbcUrl(), "heroes_owner", serving.secrets().logins().owner()))) {
                String role = org.heroesinwaiting.persistence.HeroesJdbi.create(pool).withHandle(handle -> handle.createQuery(
                        "SELECT role || ' ' || display_name FROM facilitators WHERE email = 'head@district.example'").mapTo(String.class).one());
                assertThat(role).isEqualTo("admin Head Office");
            }
        }
    }
}
