package org.heroesinwaiting.server.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.retention.physical.WalArchiving;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthStatus;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.DedicatedServer;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code wal-archiving} in {@code /health} degrades on what real clusters report: archiving off, and archiving that fails. */
class WalArchivingCheckTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static WalArchiving archiving(TestDatabase database) {
        return new WalArchiving(new TransactionRunner(HeroesJdbi.create(database.dataSource(DatabaseLogin.APP))),
                BackupTarget.of(database.jdbcUrl(), DatabaseLogin.BACKUP.roleName(), database.password(DatabaseLogin.BACKUP)));
    }

    private static WalArchivingCheck check(WalArchiving archiving) {
        return check(archiving, Duration.ofMinutes(10));
    }

    private static WalArchivingCheck check(WalArchiving archiving, Duration maxDelay) {
        return new WalArchivingCheck(PhysicalBackups.off("on (in this test)"), Optional.of(archiving), maxDelay, Clock.systemUTC());
    }

    /** Writes a little and switches WAL: one closed segment for the archiver. */
    private static void closeASegment(DedicatedServer server, TestDatabase database) throws Exception {
        try (Connection connection = server.superuserDataSource(database.name()).getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE wal_writer AS SELECT generate_series(1, 1000) AS n");
            sql.execute("SELECT pg_switch_wal()");
        }
    }

    @Test
    void aClusterThatDoesNotArchiveIsDegraded(TestDatabase database) {
        CheckResult result = check(archiving(database)).check(); // the shared test cluster runs with archive_mode off

        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.detail()).contains("archive_mode is off");
    }

    @Test
    void aClusterWhoseArchivingFallsBehindItsBoundIsDegradedAndRecoversOnItsOwn() throws Exception {
        // each segment takes 6 s to archive, and succeeds: behind a bound of 2 s, never failing
        try (DedicatedServer server = DedicatedServer.start(Map.of("archive_mode", "on", "wal_level", "replica", "archive_command",
                "'sleep 6'"));
                TestDatabase database = server.databases().create()) {
            closeASegment(server, database);
            WalArchiving archiving = archiving(database);
            long past = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (archiving.sample().oldestUnarchivedAge().compareTo(Duration.ofSeconds(2)) <= 0 && System.nanoTime() < past) {
                Thread.sleep(200); // the segment waits 6 s in the archive command
            }

            CheckResult behind = check(archiving, Duration.ofSeconds(2)).check();

            assertThat(behind.status()).as(behind.detail()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(behind.detail()).startsWith("the oldest WAL not yet archived is ").endsWith("archiving falls behind");
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (archiving.sample().pendingSegments() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            CheckResult caughtUp = check(archiving, Duration.ofSeconds(2)).check();
            assertThat(caughtUp.status()).as(caughtUp.detail()).isEqualTo(HealthStatus.UP);
            assertThat(caughtUp.detail()).startsWith("archiving: 0 segments waiting");
        }
    }

    @Test
    void aClusterWhoseArchiveCommandFailsIsDegradedNamingTheSegmentAndLosesNothing() throws Exception {
        try (DedicatedServer server = DedicatedServer.start(Map.of("archive_mode", "on", "wal_level", "replica", "archive_command", "false"));
                TestDatabase database = server.databases().create()) {
            closeASegment(server, database);
            WalArchiving archiving = archiving(database);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (!archiving.sample().failing() && System.nanoTime() < deadline) {
                Thread.sleep(500); // PostgreSQL's archiver tries on its own schedule
            }

            CheckResult result = check(archiving).check(); // reads the newest sample, which the job would have taken

            assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(result.detail()).startsWith("archiving fails since").contains("segments wait in pg_wal, none is lost");
        }
    }
}
