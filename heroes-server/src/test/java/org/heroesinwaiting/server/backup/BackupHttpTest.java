package org.heroesinwaiting.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;
import static org.heroesinwaiting.server.support.Requests.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.heroesinwaiting.core.NotPermittedException;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.retention.RecoveryJob;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.backup.BackupRequest;
import org.heroesinwaiting.retention.backup.BackupService;
import org.heroesinwaiting.retention.recovery.RecoveryRequests;
import org.heroesinwaiting.retention.recovery.RecoveryWorker;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/admin/backups}: real backups by the real pg_dump, verified by real restore drills, started off the request thread. */
class BackupHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void anAdminStartsABackupVerifiesItAndReadsTheOutcome(DataSource app, @Owner Jdbi owner, TestDatabase database, @TempDir Path root)
            throws Exception {
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO facilitators (email, password_hash, display_name) VALUES ('x@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'X')"""));
        try (Heroes heroes = TestHeroes.on(app, java.time.Clock.systemUTC(), TestHeroes.withBackups(TestHeroes.settings(), database, root))) {
            String admin = AuthApps.tokenOf(heroes.accounts(), "admin@district.example", "admin");
            JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
                assertThat(json(send(client, "GET", "/api/v1/admin/backups", null, admin)).get("items")).isEmpty();

                Response started = send(client, "POST", "/api/v1/admin/backups", null, admin);
                assertThat(started.code()).isEqualTo(202);
                JsonNode backup = json(started);
                long id = backup.get("id").asLong();
                assertThat(header(started, "Location")).isEqualTo("/api/v1/admin/backups/" + id);
                assertThat(backup.get("kind").asText()).isEqualTo("full");
                assertThat(backup.get("retention_class").asText()).isEqualTo("manual");

                JsonNode done = await(client, admin, id, made -> !made.get("status").asText().equals("running"));
                assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("succeeded");
                assertThat(done.get("files").get(0).get("sha256").asText()).hasSize(64);
                assertThat(done.get("table_rows").get("public.facilitators").asLong()).isEqualTo(2);
                assertThat(done.get("verification").isNull()).isTrue();

                Response verifying = send(client, "POST", "/api/v1/admin/backups/" + id + "/verify", null, admin);
                assertThat(verifying.code()).isEqualTo(202);
                assertThat(json(verifying).get("status").asText()).isEqualTo("running");
                long drill = json(verifying).get("recovery_id").asLong();

                JsonNode verified = await(client, admin, id, seen -> !seen.get("verification").isNull());
                assertThat(verified.get("verification").asText()).as(verified.toString()).isEqualTo("passed");
                assertThat(verified.get("verification_detail").asText()).contains("pg_amcheck passed");
                assertThat(verified.get("recoveries").get(0).get("id").asLong()).isEqualTo(drill);
                assertThat(verified.get("recoveries").get(0).get("kind").asText()).isEqualTo("drill");

                Response archive = send(client, "POST", "/api/v1/admin/backups", "{\"kind\": \"archive\", \"format\": \"plain-gzip\"}", admin);
                assertThat(archive.code()).isEqualTo(202);
                long archiveId = json(archive).get("id").asLong();
                assertThat(await(client, admin, archiveId, made -> !made.get("status").asText().equals("running")).get("status").asText())
                        .isEqualTo("succeeded");

                JsonNode first = json(send(client, "GET", "/api/v1/admin/backups?limit=1", null, admin));
                assertThat(first.get("items").get(0).get("id").asLong()).isEqualTo(archiveId);
                assertThat(first.get("items").get(0).get("format").asText()).isEqualTo("plain-gzip");
                JsonNode second = json(send(client, "GET", "/api/v1/admin/backups?limit=1&cursor=" + first.get("next_cursor").asText(), null, admin));
                assertThat(second.get("items").get(0).get("id").asLong()).isEqualTo(id);
                assertThat(second.get("next_cursor").isNull()).isTrue();
            });
        }
    }

    @Test
    void oneBackupRunsAtATimeAndBadRequestsGetPreciseProblems(DataSource app, @Owner Jdbi owner, TestDatabase database, @TempDir Path root)
            throws Exception {
        try (Heroes heroes = TestHeroes.on(app, java.time.Clock.systemUTC(), TestHeroes.withBackups(TestHeroes.settings(), database, root))) {
            String admin = AuthApps.tokenOf(heroes.accounts(), "admin@district.example", "admin");
            String teacher = AuthApps.tokenOf(heroes.accounts(), "teacher@school.example", "facilitator");
            JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
                assertProblem(send(client, "GET", "/api/v1/admin/backups", null, teacher), 403, "forbidden");
                assertProblem(send(client, "POST", "/api/v1/admin/backups", null, teacher), 403, "forbidden");
                Response daily = send(client, "POST", "/api/v1/admin/backups", "{\"kind\": \"daily\"}", admin);
                assertProblem(daily, 400, "validation-failed");
                assertThat(json(daily).get("detail").asText()).contains("a daily backup in custom format is not logical");
                Response hourly = send(client, "POST", "/api/v1/admin/backups", "{\"kind\": \"hourly\"}", admin);
                assertProblem(hourly, 400, "validation-failed");
                assertThat(json(hourly).get("errors").get(0).get("pointer").asText()).isEqualTo("/kind");
                Response zip = send(client, "POST", "/api/v1/admin/backups", "{\"format\": \"zip\"}", admin);
                assertProblem(zip, 400, "validation-failed");
                assertThat(json(zip).get("errors").get(0).get("detail").asText()).isEqualTo("a backup format is custom, plain-gzip or pgbackrest, not zip");
                assertProblem(send(client, "POST", "/api/v1/admin/backups", "{\"kind\": 1}", admin), 400, "validation-failed");
                assertProblem(send(client, "POST", "/api/v1/admin/backups", "{\"kind\": \"full\", \"when\": \"now\"}", admin), 400,
                        "validation-failed");
                assertProblem(send(client, "POST", "/api/v1/admin/backups", "{\"kind\": ", admin), 400, "malformed-json");
                assertProblem(send(client, "GET", "/api/v1/admin/backups/99", null, admin), 404, "not-found");
                assertProblem(send(client, "GET", "/api/v1/admin/backups/abc", null, admin), 404, "not-found");
                assertProblem(send(client, "POST", "/api/v1/admin/backups/99/verify", null, admin), 404, "not-found");
                assertProblem(send(client, "GET", "/api/v1/admin/backups?cursor=forged", null, admin), 400, "validation-failed");
                long recorded = owner.withHandle(handle -> handle.createQuery("SELECT count(*) FROM backup_log").mapTo(Long.class).one());
                assertThat(recorded).as("no refused request records a backup").isZero();

                // another instance's backup, running: held by its session
                try (Connection other = DriverManager.getConnection(database.jdbcUrl(), DatabaseLogin.BACKUP.roleName(),
                        database.password(DatabaseLogin.BACKUP)); Statement sql = other.createStatement();
                        ResultSet held = sql.executeQuery("SELECT app.backup_start('full', 'custom', NULL, true)")) {
                    held.next();
                    long running = held.getLong(1);
                    Response busy = send(client, "POST", "/api/v1/admin/backups", null, admin);
                    assertProblem(busy, 409, "conflict");
                    assertThat(header(busy, "Retry-After")).isEqualTo("60");
                    assertThat(json(busy).get("detail").asText()).contains("backup " + running + " is running");
                    Response notYet = send(client, "POST", "/api/v1/admin/backups/" + running + "/verify", null, admin);
                    assertProblem(notYet, 409, "conflict");
                    assertThat(json(notYet).get("detail").asText()).contains("is running: only a backup that succeeded can be verified");
                }
            });
        }
    }

    @Test
    void anAdminApprovesARecoveryRequestAndTheWorkerExecutesItOnce(DataSource app, @Owner Jdbi owner, TestDatabase database,
            @TempDir Path root) throws Exception {
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO facilitators (email, password_hash, display_name) VALUES ('x@school.example', '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', 'X')"""));
        try (Heroes heroes = TestHeroes.on(app, java.time.Clock.systemUTC(), TestHeroes.withBackups(TestHeroes.settings(), database, root))) {
            String admin = AuthApps.tokenOf(heroes.accounts(), "admin@district.example", "admin");
            String teacher = AuthApps.tokenOf(heroes.accounts(), "teacher@school.example", "facilitator");
            long backup = heroes.port(BackupService.class).run(BackupRequest.manual(BackupKind.FULL)).id();
            owner.useHandle(handle -> handle.execute("DELETE FROM facilitators WHERE email = 'x@school.example'"));
            long request = owner.withHandle(handle -> handle.createQuery(
                    "SELECT initiate_recovery('table_restore', :backup, NULL, ARRAY['facilitators'], 'add-missing')").bind("backup", backup)
                    .mapTo(Long.class).one());
            long pointInTime = owner.withHandle(handle -> handle.createQuery(
                    "SELECT initiate_recovery('point_in_time', NULL, (now() - interval '1 minute') AT TIME ZONE 'UTC', NULL, 'replace', 'UTC')")
                    .mapTo(Long.class).one());
            RecoveryJob worker = new RecoveryJob(heroes.port(RecoveryWorker.class));
            JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
                JsonNode listed = json(send(client, "GET", "/api/v1/admin/recoveries?limit=2", null, admin)).get("items");
                assertThat(listed.get(1).get("id").asLong()).isEqualTo(request);
                assertThat(listed.get(1).get("status").asText()).isEqualTo("requested");
                assertThat(listed.get(1).get("approved_at").isNull()).isTrue();
                assertThat(worker.run().detail()).as("nothing approved yet").isEqualTo("no approved recovery waiting");

                assertProblem(send(client, "POST", "/api/v1/admin/recoveries/" + request + "/approve", null, teacher), 403, "forbidden");
                assertProblem(send(client, "POST", "/api/v1/admin/recoveries/99999/approve", null, admin), 404, "not-found");
                assertProblem(send(client, "GET", "/api/v1/admin/recoveries/abc", null, admin), 404, "not-found");
                Response refused = send(client, "POST", "/api/v1/admin/recoveries/" + pointInTime + "/approve", null, admin);
                assertProblem(refused, 409, "conflict");
                assertThat(json(refused).get("detail").asText()).contains("needs physical backups (pgBackRest)");
                Response approved = send(client, "POST", "/api/v1/admin/recoveries/" + request + "/approve", null, admin);
                assertThat(approved.code()).isEqualTo(200);
                String approvedAt = json(approved).get("approved_at").asText();
                assertThat(json(approved).get("approved_by").asText()).hasSize(36);
                assertThat(json(send(client, "POST", "/api/v1/admin/recoveries/" + request + "/approve", null, admin)).get("approved_at").asText())
                        .as("approving again keeps the first approval").isEqualTo(approvedAt);

                String done = worker.run().detail();

                assertThat(done).startsWith("recovery " + request + ": facilitators from backup " + backup + ", added {facilitators=1}");
                long back = owner.withHandle(handle -> handle.createQuery("SELECT count(*) FROM facilitators WHERE email = 'x@school.example'")
                        .mapTo(Long.class).one());
                assertThat(back).isOne();
                assertThat(json(send(client, "GET", "/api/v1/admin/recoveries/" + request, null, admin)).get("status").asText()).isEqualTo("succeeded");
                assertThat(worker.run().detail()).as("executed once").isEqualTo("no approved recovery waiting");
                Response again = send(client, "POST", "/api/v1/admin/recoveries/" + request + "/approve", null, admin);
                assertProblem(again, 409, "conflict");
                assertThat(json(again).get("detail").asText()).contains("is not a request waiting to run (it is succeeded)");
            });
            // the database refuses an approval from anyone but an admin, whatever the caller checked
            ActorContext notAdmin = ActorContext.facilitator(java.util.UUID.randomUUID(), "test", null);
            RecoveryRequests requests = heroes.port(RecoveryRequests.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> requests.approve(notAdmin, pointInTime))
                    .isInstanceOf(NotPermittedException.class);
        }
    }

    @Test
    void aServerThatMakesNoBackupsSaysSo(DataSource app) throws Exception {
        try (Heroes heroes = TestHeroes.on(app)) {
            String admin = AuthApps.tokenOf(heroes.accounts(), "admin@district.example", "admin");
            JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
                assertThat(json(send(client, "GET", "/api/v1/admin/backups", null, admin)).get("items")).isEmpty();
                Response off = send(client, "POST", "/api/v1/admin/backups", null, admin);
                assertProblem(off, 503, "backups-unavailable");
                assertThat(json(off).get("detail").asText()).contains("no backup settings");
            });
        }
    }

    /** Polls one backup until the predicate holds (a backup or a drill of the small test database takes seconds). */
    private static JsonNode await(HttpClient client, String token, long id, Predicate<JsonNode> done) throws InterruptedException {
        JsonNode seen = null;
        for (int i = 0; i < 1200; i++) {
            seen = json(send(client, "GET", "/api/v1/admin/backups/" + id, null, token));
            if (done.test(seen)) {
                return seen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("backup " + id + " still not done after 2 minutes: " + seen);
    }
}
