package org.heroesinwaiting.server.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;
import static org.heroesinwaiting.server.support.Requests.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.retention.RetentionService;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthStatus;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /api/v1/admin/retention}, and retention in {@code /health}. */
class RetentionHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private Heroes heroes;
    private String admin;
    private String teacher;

    @BeforeEach
    void create(DataSource app, @Owner Jdbi owner) {
        heroes = TestHeroes.on(app);
        admin = AuthApps.tokenOf(heroes.accounts(), "admin@district.example", "admin");
        teacher = AuthApps.tokenOf(heroes.accounts(), "teacher@school.example", "facilitator");
        // a login attempt 100 days old, past its 90-day period; one of yesterday
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO auth_attempts (email_hash, outcome, attempted_at)
                VALUES (sha256('x'), 'bad_credentials', now() - interval '100 days'), (sha256('x'), 'bad_credentials', now() - interval '1 day')"""));
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    @Test
    void anAdminSeesWhatIsDueRunsItAndReadsTheReport() {
        JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
            JsonNode status = json(send(client, "GET", "/api/v1/admin/retention", null, admin));
            JsonNode attempts = status.get("tables").get(7);
            assertThat(attempts.get("table").asText()).isEqualTo("auth_attempts");
            assertThat(attempts.get("live_rows").asLong()).isGreaterThanOrEqualTo(2);
            assertThat(attempts.get("due_for_deletion").asLong()).isEqualTo(1);
            assertThat(status.get("policies")).anySatisfy(policy -> assertThat(policy.get("table").asText()).isEqualTo("audit_log"));

            JsonNode dry = json(send(client, "POST", "/api/v1/admin/retention/run", "{\"table\": \"auth_attempts\", \"dry_run\": true}", admin));
            assertThat(dry.get("run_id").isNull()).isTrue();
            assertThat(dry.get("purged").asLong()).isEqualTo(1);

            Response ran = send(client, "POST", "/api/v1/admin/retention/run", null, admin);
            assertThat(ran.code()).isEqualTo(200);
            JsonNode result = json(ran);
            assertThat(result.get("run_id").asLong()).isPositive();
            assertThat(result.get("purged").asLong()).isEqualTo(1);
            assertThat(result.get("tables")).hasSize(10);

            JsonNode again = json(send(client, "POST", "/api/v1/admin/retention/run", "{}", admin));
            assertThat(again.get("purged").asLong()).isZero();

            String today = json(send(client, "GET", "/api/v1/admin/retention", null, admin)).get("policies").get(0).get("last_run_at").asText()
                    .substring(0, 10);
            JsonNode report = json(send(client, "GET", "/api/v1/admin/retention/report?from=" + today + "&to=2999-01-01", null, admin));
            assertThat(report.get("days")).anySatisfy(day -> {
                assertThat(day.get("table").asText()).isEqualTo("auth_attempts");
                assertThat(day.get("purged").asLong()).isEqualTo(1);
                assertThat(day.get("runs").asLong()).isEqualTo(2);
            });
        });
    }

    @Test
    void badRequestsGetPreciseProblemsAndNeverAServerError(DataSource app) throws Exception {
        JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
            assertProblem(send(client, "GET", "/api/v1/admin/retention", null, teacher), 403, "forbidden");
            assertProblem(send(client, "POST", "/api/v1/admin/retention/run", "{}", teacher), 403, "forbidden");
            Response unknown = send(client, "POST", "/api/v1/admin/retention/run", "{\"table\": \"students\"}", admin);
            assertProblem(unknown, 400, "validation-failed");
            assertThat(json(unknown).get("detail").asText()).contains("retention does not govern the table students");
            assertProblem(send(client, "POST", "/api/v1/admin/retention/run", "{\"table\": 7}", admin), 400, "validation-failed");
            assertProblem(send(client, "POST", "/api/v1/admin/retention/run", "{\"tables\": []}", admin), 400, "validation-failed");
            assertProblem(send(client, "POST", "/api/v1/admin/retention/run", "{\"dry_run\": tru", admin), 400, "malformed-json");
            assertProblem(send(client, "GET", "/api/v1/admin/retention/report?from=2026-01-01", null, admin), 400, "validation-failed");
            assertProblem(send(client, "GET", "/api/v1/admin/retention/report?from=2026-02-30&to=2026-03-01", null, admin), 400,
                    "validation-failed");
            assertProblem(send(client, "GET", "/api/v1/admin/retention/report?from=2026-03-01&to=2026-02-01", null, admin), 400,
                    "validation-failed");
            // dates java.time reads but PostgreSQL cannot hold
            assertProblem(send(client, "GET", "/api/v1/admin/retention/report?from=%2B999999999-01-01&to=%2B999999999-12-31", null, admin),
                    400, "validation-failed");
            assertProblem(send(client, "GET", "/api/v1/admin/retention/report?from=-999999999-01-01&to=2000-01-01", null, admin), 400,
                    "validation-failed");

            try (Connection other = app.getConnection(); Statement statement = other.createStatement()) {
                statement.execute("SELECT app.retention_open(NULL, NULL, 'service', NULL)");
                Response busy = send(client, "POST", "/api/v1/admin/retention/run", "{}", admin);
                assertProblem(busy, 409, "conflict");
                assertThat(header(busy, "Retry-After")).isEqualTo("60");
            }
        });
    }

    @Test
    void metricsExportRowsArchivedAndPurgedPerTableAndTheLastSuccess() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RetentionService retention = heroes.port(RetentionService.class);
        new RetentionMetrics(retention).bindTo(registry);
        assertThat(registry.scrape()).contains("heroes_retention_rows_total{action=\"purged\",table=\"auth_attempts\"} 0.0")
                .contains("heroes_retention_last_success_seconds NaN");

        retention.run(org.heroesinwaiting.retention.RetentionRequest.all());

        // read at most every 30 seconds: a fresh binder shows the run at once
        PrometheusMeterRegistry after = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new RetentionMetrics(retention).bindTo(after);
        String scrape = after.scrape();
        assertThat(scrape).contains("heroes_retention_rows_total{action=\"purged\",table=\"auth_attempts\"} 1.0",
                "heroes_retention_rows_total{action=\"archived\",table=\"student_sessions\"} 0.0");
        assertThat(scrape).containsPattern("heroes_retention_last_success_seconds [0-9]\\.[0-9]+E9");
    }

    @Test
    void healthTurnsDegradedWhenRowsWaitPastTheirPeriodOrTheLastRunFailed(@Owner Jdbi owner) {
        RetentionCheck check = new RetentionCheck(heroes.port(RetentionService.class));
        CheckResult waiting = check.check();
        assertThat(waiting.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(waiting.detail()).contains("auth_attempts");

        heroes.port(RetentionService.class).run(org.heroesinwaiting.retention.RetentionRequest.all());
        assertThat(check.check().status()).isEqualTo(HealthStatus.UP);

        owner.useHandle(handle -> handle.execute("""
                INSERT INTO retention_runs (as_of, started_by, outcome, finished_at, error) VALUES (now(), 'procedure', 'failed', now(), 'disk full');
                INSERT INTO retention_run_tables (run_id, position, table_name, state) SELECT max(id), 1, 'job_runs', 'failed' FROM retention_runs"""));
        CheckResult failed = check.check();
        assertThat(failed.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(failed.detail()).startsWith("the last retention run failed for job_runs");
    }
}
