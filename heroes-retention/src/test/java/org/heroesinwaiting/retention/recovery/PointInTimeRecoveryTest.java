package org.heroesinwaiting.retention.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.retention.backup.BackupFixtures;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.physical.ArchivedCluster;
import org.heroesinwaiting.retention.physical.PgBackRestConfig;
import org.heroesinwaiting.retention.physical.PhysicalBackupResult;
import org.heroesinwaiting.retention.physical.PhysicalBackupService;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.DedicatedServer;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Point-in-time recovery with the real pgBackRest and a real second cluster: the copy is restored
 * to a moment and started on a spare port, and a table comes back as it was a moment before it
 * was emptied by mistake. One stanza and one full backup for the class.
 */
class PointInTimeRecoveryTest {

    @TempDir
    static Path folder;

    /** Every classroom row, whole. */
    private static final String CLASSROOMS = "SELECT string_agg(row(c.*)::text, '|' ORDER BY c.id) FROM classrooms c";

    private static ArchivedCluster cluster;
    private static DedicatedServer server;
    private static TestDatabase database;
    private static Jdbi owner;
    private static PointInTimeRecovery recovery;
    private static PhysicalBackupService physical;
    private static long fullBackup;

    @BeforeAll
    static void start() {
        cluster = ArchivedCluster.start(folder, PgBackRestConfig.DEFAULT_ARCHIVE_FULLS);
        server = cluster.server();
        database = cluster.database();
        owner = database.jdbi(DatabaseLogin.OWNER);
        BackupFixtures.school(owner, 3, 4);
        BackupFixtures.teaching(owner);
        physical = cluster.physicalBackups();
        fullBackup = physical.run(BackupKind.PHYSICAL_FULL, Optional.empty()).id();
        recovery = new PointInTimeRecovery(cluster.catalog(), new ClusterLogin("localhost", server.port(), "postgres", ""), ExternalTools.system(),
                cluster.pgBackRest());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theClusterComesBackAsItWasBetweenTwoCommitsAndTheAuditTrailAgrees() throws Exception {
        long before = count(owner, "SELECT count(*) FROM classrooms");
        addClassroom("PITR one");
        addClassroom("PITR two");
        Instant afterTwo = now();
        Thread.sleep(1000); // commit timestamps are apart from the target by far more than a clock's step
        Instant target = afterTwo.plusMillis(500);
        Thread.sleep(1000);
        addClassroom("PITR three");

        PointInTimeResult result = recovery.recover(target, folder.resolve("pitr"));

        try (ScratchCluster cluster = result.cluster(); Connection copy = cluster.connect(database.name()); Statement sql = copy.createStatement()) {
            assertThat(strings(sql, "SELECT name FROM classrooms WHERE name LIKE 'PITR%' ORDER BY name")).containsExactly("PITR one", "PITR two");
            assertThat(result.tableRows()).containsEntry("public.classrooms", before + 2);
            assertThat(strings(sql, """
                    SELECT new_values ->> 'name' FROM audit_log WHERE table_name = 'classrooms' AND operation = 'INSERT'
                       AND new_values ->> 'name' LIKE 'PITR%' ORDER BY 1""")).as("the audit trail agrees").containsExactly("PITR one", "PITR two");
            assertThat(strings(sql, "SELECT pg_is_in_recovery()::text")).containsExactly("false");
        }
        assertThat(count(owner, "SELECT count(*) FROM classrooms")).as("the live cluster is untouched").isEqualTo(before + 3);
        Map<String, Object> row = owner.withHandle(handle -> handle.createQuery("""
                SELECT kind, status, target_time, target_zone, (SELECT string_agg(s ->> 'step', ',') FROM jsonb_array_elements(steps) s) AS steps
                  FROM recovery_log WHERE id = :id""").bind("id", result.recoveryId()).mapToMap().one());
        assertThat(row).containsEntry("kind", "point-in-time").containsEntry("status", "succeeded").containsEntry("target_zone", "UTC")
                .containsEntry("steps", "archive,restore,start,promote,check,erasure-ledger,hand-over");
        assertThat(((java.sql.Timestamp) row.get("target_time")).toInstant()).isEqualTo(target.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void feedbackDeletedByMistakeComesBackFromAMomentBeforeAndNoOtherTableChanges() throws Exception {
        long feedback = count(owner, "SELECT count(*) FROM student_feedback");
        assertThat(feedback).isPositive();
        Thread.sleep(1000);
        Instant beforeTheMistake = now();
        Thread.sleep(1000);
        owner.useHandle(handle -> handle.execute("DELETE FROM student_feedback"));
        String others = fingerprint();

        TableRestoreResult restored = recovery.restoreTables(beforeTheMistake, List.of("student_feedback"), TableRestoreMode.ADD_MISSING);

        assertThat(restored.inserted()).containsEntry("student_feedback", feedback);
        assertThat(count(owner, "SELECT count(*) FROM student_feedback")).isEqualTo(feedback);
        assertThat(fingerprint()).as("no other table changed").isEqualTo(others);
        assertThat(count(owner, "SELECT count(*) FROM recovery_log WHERE kind = 'tables-to-time' AND status = 'succeeded' AND id = "
                + restored.recoveryId())).isOne();
    }

    @Test
    void aPlansRecoveryStepExecutedAtTheMomentFoundBringsTheRowsBackAndIsRecordedOnThePlan() throws Exception {
        long planId = owner.withHandle(handle -> handle.createQuery(
                "SELECT plan_id FROM execute_disaster_recovery_plan('accidental_deletion', 'medium') LIMIT 1").mapTo(Long.class).one());
        DisasterRecoveryPlans plans = new DisasterRecoveryPlans(cluster.catalog());
        DisasterRecoveryPlan plan = plans.find(planId);
        assertThat(plan.method()).isEqualTo("tables-to-time");
        assertThat(plan.step(2).recoveryType()).contains("table_restore");
        assertThat(plan.step(1).recoveryType()).as("finding the moment is a person's").isEmpty();
        long feedback = count(owner, "SELECT count(*) FROM student_feedback");
        Thread.sleep(1000);
        Instant beforeTheMistake = now();
        Thread.sleep(1000);
        owner.useHandle(handle -> handle.execute("DELETE FROM student_feedback"));
        plans.done(planId, 1, "the DELETE of student_feedback, a second after " + beforeTheMistake);

        long request = plans.initiate(planId, 2, beforeTheMistake, List.of("student_feedback"), TableRestoreMode.ADD_MISSING);
        TableRestoreResult restored = recovery.executeTables(new RecoveryRequests(cluster.catalog()).find(request));
        plans.executed(planId, 2, request, "added " + restored.inserted());

        assertThat(count(owner, "SELECT count(*) FROM student_feedback")).isEqualTo(feedback);
        List<String> progress = plans.find(planId).step(2).progress();
        assertThat(progress).hasSize(2);
        assertThat(progress.get(0)).contains(" initiated by heroes_app (recovery " + request + "): table_restore to " + beforeTheMistake);
        assertThat(progress.get(1)).contains(" executed by heroes_app (recovery " + request + "): added {student_feedback=" + feedback + "}");
        assertThat(plans.find(planId).step(1).progress()).singleElement().asString().contains(" done by heroes_app: the DELETE");
        assertThatThrownBy(() -> plans.initiate(planId, 1, beforeTheMistake, List.of(), TableRestoreMode.ADD_MISSING))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("is one a person does");
        assertThatThrownBy(() -> plans.initiate(planId, 2, beforeTheMistake, List.of(), TableRestoreMode.ADD_MISSING))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("restores tables: name them");
    }

    @Test
    void aTargetOutsideTheRestorableWindowIsAClearErrorAndRecorded() {
        assertThatThrownBy(() -> recovery.recover(Instant.now().plus(Duration.ofHours(1)), folder.resolve("future")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("is in the future");
        assertThatThrownBy(() -> recovery.recover(Instant.now().minus(Duration.ofDays(400)), folder.resolve("past")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("before the oldest restorable point");
        assertThat(count(owner, "SELECT count(*) FROM recovery_log WHERE status = 'failed' AND error LIKE '%restorable point%'")).isOne();
    }

    @Test
    void aDailyRestoredEqualsTheDatabaseAtItsTimeAndTheDrillProvesTheFull() throws Exception {
        addClassroom("Daily one");
        String atTheDaily = owner.withHandle(handle -> handle.createQuery(CLASSROOMS).mapTo(String.class).one());
        PhysicalBackupResult daily = physical.run(BackupKind.DAILY, Optional.empty());
        addClassroom("After the daily");
        Path into = java.nio.file.Files.createDirectory(folder.resolve("daily-copy"));

        physical.pgBackRest().restoreBackup(into, daily.backup().label());
        try (ScratchCluster copy = ScratchCluster.start(ExternalTools.system(), into, new ClusterLogin("localhost", server.port(), "postgres", ""));
                Connection connection = copy.connect(database.name()); Statement sql = connection.createStatement()) {
            copy.awaitPromoted(Duration.ofMinutes(5));
            assertThat(strings(sql, CLASSROOMS)).as("the differential on its full holds the database as it was when it ended").containsExactly(atTheDaily);
        }
        assertThat(daily.backup().type()).isEqualTo("diff");

        Verification drill = recovery.drill(fullBackup);

        assertThat(drill.passed()).as(drill.findings().toString()).isTrue();
        assertThat(drill.tablesCompared()).isPositive();
        String recorded = owner.withHandle(handle -> handle.createQuery(
                "SELECT verification || ' ' || verification_detail FROM backup_log WHERE id = :id").bind("id", fullBackup).mapTo(String.class).one());
        assertThat(recorded).startsWith("passed physical drill: restored, started");
        assertThatThrownBy(() -> recovery.drill(123456)).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aDailyOnAFullMadeOutsideTheCatalogRecordsThatFullSoThatCleanupKeepsIt() {
        String outside = cluster.pgBackRest().backup("full", Map.of()); // a DBA's own pgbackrest backup

        PhysicalBackupResult daily = physical.run(BackupKind.DAILY, Optional.of("daily"));

        assertThat(daily.backup().prior()).contains(outside);
        Map<String, Object> adopted = owner.withHandle(handle -> handle.createQuery("""
                SELECT a.kind, a.status, a.retention_class, a.started_by, a.expires_at > now() AS kept, d.depends_on = a.id AS needed
                  FROM backup_log a, backup_log d WHERE a.label = :outside AND d.id = :daily""")
                .bind("outside", outside).bind("daily", daily.id()).mapToMap().one());
        assertThat(adopted).containsEntry("kind", "physical-full").containsEntry("status", "succeeded").containsEntry("retention_class", "manual")
                .containsEntry("started_by", "pgbackrest, outside the catalog").containsEntry("kept", true).containsEntry("needed", true);
    }

    private static void addClassroom(String name) {
        owner.useHandle(handle -> handle.createUpdate("""
                INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                SELECT id, :name, translate(substr(md5(:name), 1, 8), '0123456789abcdef', 'ABCDEFGHJKMNPQRS'), 5 FROM facilitators LIMIT 1""").bind("name", name).execute());
    }

    /** Every row of the tables a feedback restore must not touch. */
    private static String fingerprint() {
        return owner.withHandle(handle -> handle.createQuery("""
                SELECT md5(string_agg(t, '|' ORDER BY t)) FROM (
                    SELECT 'c' || row(c.*)::text AS t FROM classrooms c UNION ALL SELECT 's' || row(s.*)::text FROM student_sessions s
                    UNION ALL SELECT 'cs' || row(cs.*)::text FROM classroom_sessions cs UNION ALL SELECT 'f' || row(f.*)::text FROM facilitators f) x""")
                .mapTo(String.class).one());
    }

    private static Instant now() {
        return owner.withHandle(handle -> handle.createQuery("SELECT clock_timestamp()").mapTo(OffsetDateTime.class).one()).toInstant();
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(Long.class).one());
    }

    private static List<String> strings(Statement sql, String query) throws Exception {
        List<String> values = new java.util.ArrayList<>();
        try (ResultSet rs = sql.executeQuery(query)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
