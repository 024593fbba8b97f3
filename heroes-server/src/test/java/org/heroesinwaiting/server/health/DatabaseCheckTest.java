package org.heroesinwaiting.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.jobs.AuditPartitionsJob;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The database's checks of {@code /health}, read as the application login, as the server does. */
class DatabaseCheckTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static CheckResult audit(DataSource app) {
        return DatabaseCheck.of(app).stream().filter(check -> check.name().equals("audit")).findFirst().orElseThrow().check();
    }

    @Test
    void auditRecordsWaitingForTheirPartitionDegradeHealthUntilTheUpkeepRuns(DataSource app, @Owner Jdbi owner) {
        assertThat(audit(app).status()).isEqualTo(HealthStatus.UP);

        // the upkeep has not run for months: this month's partition is missing, the write still succeeds
        owner.useHandle(handle -> handle.execute(handle.createQuery(
                "SELECT format('DROP TABLE %I', to_char(now() AT TIME ZONE 'UTC', '\"audit_log_y\"YYYY\"m\"MM'))").mapTo(String.class).one()));
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO facilitators (email, password_hash, display_name)
                VALUES ('t@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'T')"""));

        CheckResult waiting = audit(app);
        assertThat(waiting.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(waiting.detail()).startsWith("1 audit record since ").contains("SELECT app.ensure_audit_partitions();");

        try (Heroes heroes = TestHeroes.on(app)) {
            heroes.jobs().find(AuditPartitionsJob.NAME).orElseThrow().run();
        }
        assertThat(audit(app).status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void theDatabaseAndSchemaChecksAreUpOnAMigratedDatabase(DataSource app) {
        assertThat(DatabaseCheck.of(app)).extracting(HealthCheck::name).containsExactly("database", "schema", "audit");
        assertThat(DatabaseCheck.of(app)).allSatisfy(check -> assertThat(check.check().status()).as(check.name()).isEqualTo(HealthStatus.UP));
    }
}
