package org.heroesinwaiting.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.heroesinwaiting.retention.RetentionSqlTest.count;
import static org.heroesinwaiting.retention.RetentionSqlTest.strings;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.auth.JwtKey;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesSettings;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.testkit.DatabaseClock;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.TestDatabase;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java side of retention, as a host or the server's job calls it, on the application login. */
class RetentionServiceTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    static final JwtKeyring KEYRING = new JwtKeyring(List.of(new JwtKey("k", "k".repeat(32).getBytes(StandardCharsets.US_ASCII), true)));

    @Test
    void aRunMovesWhatIsDueInCommittedBatchesAndSaysWhatItDid(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 40, 3);
        RetentionService retention = new RetentionService(new TransactionRunner(Jdbi.create(app).installPlugins()), Optional.empty());

        RetentionResult result = retention.run(RetentionRequest.all());

        assertThat(result.runId()).isPresent();
        assertThat(result.dryRun()).isFalse();
        assertThat(result.tables()).extracting(TableResult::table).containsExactly("student_sessions", "student_progress", "student_feedback",
                "classroom_sessions", "security_incidents", "facilitator_retired_tokens", "facilitator_sessions", "auth_attempts", "job_runs",
                "audit_log");
        TableResult sessions = result.tables().get(0);
        assertThat(sessions.archived()).isEqualTo(96);
        assertThat(sessions.purged()).as("sessions past three years leave the archive").isEqualTo(24);
        assertThat(sessions.state()).isEqualTo("done");
        assertThat(result.stillEligible()).as("a run works until nothing is due, audit months included").isZero();
        assertThat(result.summary()).startsWith("archived " + result.archived() + ", purged " + result.purged() + " rows (student_sessions 96/24");
        assertThat(sessions.upkeep()).as("no owner login given").isEqualTo(Upkeep.LEFT_TO_AUTOVACUUM);
        assertThat(strings(owner, "SELECT started_by || ' ' || outcome FROM retention_runs")).containsExactly("service succeeded");
        assertThat(count(owner, "SELECT count(*) FROM audit_log a JOIN history_clocks h ON h.id = a.id::text AND h.table_name = 'audit_log' "
                + "WHERE h.live_clock < now() - interval '2 years'")).isZero();

        RetentionResult again = retention.run(RetentionRequest.all());
        assertThat(again.archived() + again.purged()).isZero();
        assertThat(again.tables()).allSatisfy(table -> assertThat(table.upkeep()).isEqualTo(Upkeep.NONE));
    }

    @Test
    void aDryRunCountsWhatIsDueAndChangesNothing(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 40, 3);
        RetentionService retention = new RetentionService(new TransactionRunner(Jdbi.create(app).installPlugins()), Optional.empty());

        RetentionResult dry = retention.run(RetentionRequest.table("student_sessions").asDryRun());

        assertThat(dry.runId()).isEmpty();
        assertThat(dry.tables()).extracting(t -> t.table() + " " + t.archived() + " " + t.state())
                .containsExactly("student_sessions 96 dry-run", "student_progress 192 dry-run", "student_feedback 96 dry-run");
        assertThat(count(owner, "SELECT count(*) FROM student_sessions_archive")).isZero();
        assertThat(count(owner, "SELECT count(*) FROM retention_runs")).isZero();
    }

    @Test
    void anOwnerLoginVacuumsATableARunChangedALargeShareOf(@Owner Jdbi owner, DataSource app, TestDatabase database) {
        SchoolHistory.write(owner, 40, 3);
        owner.useHandle(handle -> handle.execute("ANALYZE"));
        RetentionService retention = new RetentionService(new TransactionRunner(Jdbi.create(app).installPlugins()),
                Optional.of(database.dataSource(DatabaseLogin.OWNER)));

        RetentionResult result = retention.run(RetentionRequest.all());

        assertThat(result.tables().get(1).upkeep()).isEqualTo(Upkeep.VACUUMED);
        assertThat(strings(owner, "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL ORDER BY 1"))
                .contains("student_progress", "student_progress_archive", "student_sessions", "student_sessions_archive");
    }

    @Test
    void refusalsAreTheLibrarysExceptions(@Owner Jdbi owner, DataSource app) throws Exception {
        SchoolHistory.write(owner, 30, 1);
        RetentionService retention = new RetentionService(new TransactionRunner(Jdbi.create(app).installPlugins()), Optional.empty());

        assertThatThrownBy(() -> retention.run(RetentionRequest.table("students"))).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("it governs student_sessions");
        Instant ahead = DatabaseClock.now(app).plusSeconds(3600);
        assertThatThrownBy(() -> retention.run(RetentionRequest.all().asOf(ahead))).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("as_of must not be later than now()");
        owner.useHandle(handle -> handle.execute("UPDATE data_retention_policies SET enabled = false WHERE table_name = 'auth_attempts'"));
        assertThatThrownBy(() -> retention.run(RetentionRequest.table("auth_attempts"))).isInstanceOf(RetentionDisabledException.class)
                .hasMessageContaining("retention of auth_attempts is disabled");
        assertThat(retention.run(RetentionRequest.all()).tables()).extracting(TableResult::table).doesNotContain("auth_attempts");

        try (Connection other = app.getConnection(); Statement statement = other.createStatement()) {
            statement.execute("SELECT app.retention_open(NULL, NULL, 'service', NULL)");
            assertThatThrownBy(() -> retention.run(RetentionRequest.all())).isInstanceOf(RetentionInProgressException.class)
                    .hasMessageContaining("a retention run is in progress");
            assertThat(new RetentionJob(retention).run().detail()).startsWith("another retention run was in progress");
        }
    }

    @Test
    void statusAndReportSayWhatRetentionHoldsAndDid(@Owner Jdbi owner, DataSource app) {
        SchoolHistory.write(owner, 40, 2);
        RetentionService retention = new RetentionService(new TransactionRunner(Jdbi.create(app).installPlugins()), Optional.empty());
        assertThat(retention.policies()).filteredOn(PolicyStatus::waitingPastPeriod).extracting(PolicyStatus::table)
                .as("before any run, old rows wait past their period").contains("student_sessions", "audit_log");

        RetentionResult result = retention.run(RetentionRequest.all());

        assertThat(retention.policies()).noneMatch(PolicyStatus::waitingPastPeriod).noneMatch(PolicyStatus::lastRunFailed)
                .allSatisfy(policy -> assertThat(policy.lastSuccessAt()).isPresent());
        TableStatus sessions = retention.status().get(0);
        assertThat(sessions.table()).isEqualTo("student_sessions");
        assertThat(sessions.liveRows()).isEqualTo(96);
        assertThat(sessions.archivedRows()).contains(48L);
        assertThat(sessions.eligibleNow()).isZero();
        assertThat(sessions.livePeriod()).isEqualTo("2 years");
        assertThat(sessions.lastOutcome()).contains("succeeded");
        LocalDate today = DatabaseClock.now(app).atZone(ZoneOffset.UTC).toLocalDate();
        assertThat(retention.report(today, today.plusDays(1))).filteredOn(row -> row.table().equals("student_sessions"))
                .singleElement().satisfies(row -> {
                    assertThat(row.archived()).isEqualTo(result.tables().get(0).archived());
                    assertThat(row.runs()).isOne();
                    assertThat(row.failedRuns()).isZero();
                });
        assertThat(retention.totals()).filteredOn(t -> t.table().equals("student_progress")).singleElement()
                .extracting(TableTotals::archived).isEqualTo(128L);
        assertThatThrownBy(() -> retention.report(today, today.minusDays(1))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void theModuleOffersTheServiceAndTheDailyJobToEveryHost(DataSource app) {
        HeroesSettings settings = HeroesSettings.of(KEYRING).withHashing(1, 4).withPasswordHasher(new PasswordHasher(1024, 1, 1));
        try (Heroes heroes = Heroes.create(settings, app, Clock.systemUTC())) {
            assertThat(heroes.modules()).contains("retention");
            RetentionService retention = heroes.port(RetentionService.class);
            RetentionResult result = retention.run(RetentionRequest.all());
            assertThat(result.runId()).isPresent();
            assertThat(retention.run(RetentionRequest.all().asDryRun()).dryRun()).isTrue();
            Job job = heroes.jobs().find(RetentionJob.NAME).orElseThrow();
            assertThat(job.schedule()).as("the guide's 05:00").isEqualTo("0 0 5 * * ?");
            assertThat(job.run().detail()).isEqualTo("archived 0, purged 0 rows");
        }
    }
}
