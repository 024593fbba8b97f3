package org.heroesinwaiting.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;
import static org.heroesinwaiting.server.support.Requests.send;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.Administration;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.persistence.Heroes;
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

class AdminHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private Heroes heroes;
    private FacilitatorAccounts accounts;
    private Administration administration;
    private String admin;

    @BeforeEach
    void create(DataSource app) {
        heroes = TestHeroes.on(app);
        accounts = heroes.accounts();
        administration = heroes.administration();
        admin = AuthApps.tokenOf(accounts, "admin@district.example", "admin");
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    private static String facilitator(String email) {
        return "{\"email\": \"" + email + "\", \"password\": \"" + AuthApps.PASSWORD + "\", \"display_name\": \"New Teacher\"}";
    }

    @Test
    void anAdminCreatesListsDisablesAndReenablesFacilitators() {
        JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
            Response created = send(client, "POST", "/api/v1/admin/facilitators", facilitator("New@School.example"), admin);
            assertThat(created.code()).isEqualTo(201);
            String id = json(created).get("id").asText();
            assertThat(header(created, "Location")).isEqualTo("/api/v1/admin/facilitators/" + id);
            String teacher = accounts.login("new@school.example", AuthApps.PASSWORD, ClientInfo.unknown()).accessToken();

            JsonNode first = json(send(client, "GET", "/api/v1/admin/facilitators?limit=1", null, admin));
            assertThat(first.get("items")).hasSize(1);
            JsonNode second = json(send(client, "GET", "/api/v1/admin/facilitators?limit=1&cursor=" + first.get("next_cursor").asText(),
                    null, admin));
            assertThat(second.get("items").get(0).get("id").asText()).isEqualTo(id);
            assertThat(second.get("next_cursor").isNull()).isTrue();

            Response disabled = send(client, "PATCH", "/api/v1/admin/facilitators/" + id, "{\"is_active\": false}", admin);
            assertThat(json(disabled).get("is_active").asBoolean()).isFalse();
            assertProblem(send(client, "GET", "/api/v1/me", null, teacher), 401, "unauthorized");
            assertThat(send(client, "PATCH", "/api/v1/admin/facilitators/" + id, "{\"is_active\": true}", admin).code()).isEqualTo(200);
            assertThat(accounts.login("new@school.example", AuthApps.PASSWORD, ClientInfo.unknown()).accessToken()).isNotBlank();
        });
    }

    @Test
    void badRequestsToAdminRoutesGetTheirPreciseProblems() {
        String teacher = AuthApps.tokenOf(accounts, "t@school.example", "facilitator");
        JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
            assertProblem(send(client, "POST", "/api/v1/admin/facilitators", facilitator("x@school.example"), teacher), 403, "forbidden");
            assertProblem(send(client, "POST", "/api/v1/admin/facilitators", facilitator("t@school.example"), admin), 409, "email-taken");
            assertProblem(send(client, "POST", "/api/v1/admin/facilitators",
                    "{\"email\": \"w@school.example\", \"password\": \"password1234\", \"display_name\": \"W\"}", admin), 400, "weak-password");
            assertProblem(send(client, "POST", "/api/v1/admin/facilitators",
                    "{\"email\": \"w@school.example\", \"password\": \"" + AuthApps.PASSWORD + "\", \"display_name\": \"W\", \"role\": \"root\"}",
                    admin), 400, "validation-failed");
            assertProblem(send(client, "GET", "/api/v1/admin/facilitators?limit=500", null, admin), 400, "validation-failed");
            assertProblem(send(client, "GET", "/api/v1/admin/facilitators?cursor=forged", null, admin), 400, "validation-failed");
            assertProblem(send(client, "PATCH", "/api/v1/admin/facilitators/00000000-0000-0000-0000-000000000000",
                    "{\"is_active\": false}", admin), 404, "not-found");
            assertProblem(send(client, "PATCH", "/api/v1/admin/facilitators/not-a-uuid", "{\"is_active\": false}", admin), 404, "not-found");
            assertProblem(send(client, "PATCH", "/api/v1/admin/facilitators/00000000-0000-0000-0000-000000000000",
                    "{\"is_active\": \"no\"}", admin), 400, "validation-failed");
        });
    }

    @Test
    void anAdminFiltersAndResolvesSecurityIncidents(@Owner Jdbi owner) {
        owner.useHandle(handle -> handle.execute("""
                INSERT INTO security_incidents (incident_type, severity, description, ip_address, created_at) VALUES
                ('failed_login', 'medium', 'Multiple failed login attempts', '192.168.1.100', now() - interval '2 days'),
                ('refresh_token_reuse', 'high', 'Reused token', '203.0.113.7', now() - interval '1 hour'),
                ('failed_login', 'medium', 'Multiple failed login attempts', '198.51.100.3', now() - interval '10 days')"""));
        JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
            JsonNode recentLogins = json(send(client, "GET", "/api/v1/admin/security-incidents?type=failed_login&since="
                    + java.time.Instant.now().minus(java.time.Duration.ofDays(7)), null, admin));
            assertThat(recentLogins.get("items")).hasSize(1);
            assertThat(recentLogins.get("items").get(0).get("ip_address").asText()).isEqualTo("192.168.1.100");

            String id = json(send(client, "GET", "/api/v1/admin/security-incidents?status=open&limit=1", null, admin))
                    .get("items").get(0).get("id").asText();
            JsonNode resolved = json(send(client, "PATCH", "/api/v1/admin/security-incidents/" + id, "{\"status\": \"resolved\"}", admin));
            assertThat(resolved.get("status").asText()).isEqualTo("resolved");
            assertThat(resolved.get("resolved_at").isNull()).isFalse();
            assertThat(json(send(client, "GET", "/api/v1/admin/security-incidents?status=resolved", null, admin)).get("items")).hasSize(1);

            assertProblem(send(client, "PATCH", "/api/v1/admin/security-incidents/" + id, "{\"status\": \"ignored\"}", admin),
                    400, "validation-failed");
            assertProblem(send(client, "GET", "/api/v1/admin/security-incidents?since=yesterday", null, admin), 400, "validation-failed");
            assertProblem(send(client, "GET", "/api/v1/admin/security-incidents?status=closed", null, admin), 400, "validation-failed");
        });
    }
}
