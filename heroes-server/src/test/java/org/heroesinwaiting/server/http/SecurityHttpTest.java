package org.heroesinwaiting.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.AccessTokenClaims;
import org.heroesinwaiting.core.auth.AccessTokens;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.curriculum.ManifestReader;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.curriculum.DatabaseCurriculum;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.RawHttp.Answer;
import org.heroesinwaiting.server.support.RawHttp;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.CurriculumFixtures;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.MutableClock;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What an outside robustness run found about tokens, roles and methods, each over real HTTP. */
class SecurityHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CACHED = {"/api/v1/lessons", "/api/v1/lessons/1", "/api/v1/offline-manifest"};

    private final MutableClock clock = MutableClock.startingNow();
    private Heroes heroes;
    private FacilitatorAccounts accounts;
    private DataSource app;
    private Jdbi owner;

    @BeforeEach
    void create(DataSource appLogin, @Owner Jdbi ownerJdbi) {
        app = appLogin;
        owner = ownerJdbi;
        heroes = TestHeroes.on(app, clock);
        accounts = heroes.accounts();
        new DatabaseCurriculum(new TransactionRunner(HeroesJdbi.create(app)), clock)
                .importManifest(ActorContext.system(null), ManifestReader.read(CurriculumFixtures.manifest()));
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    private void test(io.javalin.testtools.TestCase body) {
        JavalinTest.test(TestApps.production(heroes), body);
    }

    private static Answer send(HttpClient client, String method, String path, String body, String token, String... headers) {
        List<String> lines = new ArrayList<>();
        if (body != null) {
            lines.add("Content-Type: application/json");
        }
        if (token != null) {
            lines.add("Authorization: Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            lines.add(headers[i] + ": " + headers[i + 1]);
        }
        return RawHttp.send(client.getApp().port(), method, path, lines.toArray(String[]::new),
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(Answer answer) throws IOException {
        return JSON.readTree(answer.body());
    }

    /** The same facilitator and session, signed with the server's own key, claiming another role. */
    private String resigned(String token, String role) {
        AccessTokens tokens = new AccessTokens(AuthApps.KEYRING, "heroes-in-waiting", Duration.ofMinutes(15), clock);
        AccessTokenClaims claims = tokens.verify(token);
        return tokens.issue(claims.facilitatorId(), claims.sessionId(), role).token();
    }

    @Test
    void aLoggedOutSessionADisabledAccountAndAnUnknownSessionAre401OnTheCachedLessonsToo() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        String eli = AuthApps.tokenOf(accounts, "eli@school.example", "facilitator");
        AccessTokens tokens = new AccessTokens(AuthApps.KEYRING, "heroes-in-waiting", Duration.ofMinutes(15), clock);
        String noSession = tokens.issue(tokens.verify(eli).facilitatorId(), UUID.randomUUID(), "facilitator").token();
        test((server, client) -> {
            for (String path : CACHED) {
                assertThat(send(client, "GET", path, null, dana).status()).as(path + " before logout").isEqualTo(200);
            }
            assertThat(send(client, "POST", "/api/v1/auth/logout", null, dana).status()).isEqualTo(204);
            owner.useHandle(handle -> handle.execute("UPDATE facilitators SET is_active = false WHERE email = 'eli@school.example'"));
            for (String path : CACHED) {
                for (String token : new String[] {dana, eli, noSession}) {
                    Answer refused = send(client, "GET", path, null, token);
                    assertThat(refused.status()).as(path).isEqualTo(401);
                    assertThat(json(refused).get("type").asText()).isEqualTo("/problems/unauthorized");
                }
            }
        });
    }

    @Test
    void aGetWithAMethodOverrideHeaderIsAGetAndChangesNothing() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        test((server, client) -> {
            Answer created = send(client, "POST", "/api/v1/classrooms", "{\"name\": \"Room 12\", \"grade_level\": 5}", dana);
            String path = "/api/v1/classrooms/" + json(created).get("id").asText();
            for (String header : new String[] {"X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override"}) {
                Answer read = send(client, "GET", path, null, dana, header, "DELETE");
                assertThat(read.status()).as(header).isEqualTo(200);
                assertThat(json(read).get("archived_at").isNull()).as(header).isTrue();
            }
            Answer overridePost = send(client, "POST", "/api/v1/classrooms", "{\"name\": \"Room 14\", \"grade_level\": 5}", dana,
                    "X-HTTP-Method-Override", "GET");
            assertThat(overridePost.status()).as("a POST stays a POST").isEqualTo(201);
            assertThat(json(send(client, "GET", path, null, dana)).get("archived_at").isNull()).as("still not archived").isTrue();
        });
    }

    @Test
    void aRouteThatDeclaresNoAccessIsAFacilitatorsOnly() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        Controller undeclared = routes -> routes.get("/api/v1/test/undeclared", ctx -> ctx.result("ok"));
        JavalinTest.test(HeroesServer.builder(TestApps.config(Map.of())).library(heroes).controller(undeclared).build(), (server, client) -> {
            assertThat(send(client, "GET", "/api/v1/test/undeclared", null, null).status()).isEqualTo(401);
            assertThat(send(client, "GET", "/api/v1/test/undeclared", null, "a".repeat(43)).status()).as("a student's token").isEqualTo(401);
            assertThat(send(client, "GET", "/api/v1/test/undeclared", null, dana).status()).isEqualTo(200);
        });
    }

    @Test
    void aRefusalOfTheDatabaseForLackOfRightsIs403NotA500() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        // a route that asks the database for what the application role may not do: write the audit trail
        Controller forbidden = routes -> routes.post("/api/v1/test/write-audit", ctx -> heroes.transactions()
                .useTransaction(org.heroesinwaiting.server.auth.Authentication.facilitator(ctx).actor(), handle -> handle.execute(
                        "INSERT INTO audit_log (table_name, operation, row_key, changed_columns, actor_role, database_role, transaction_id) "
                                + "VALUES ('t', 'INSERT', '{}', '{}', 'x', 'x', 1)")));
        JavalinTest.test(HeroesServer.builder(TestApps.config(Map.of())).library(heroes).controller(forbidden).build(), (server, client) -> {
            Answer refused = send(client, "POST", "/api/v1/test/write-audit", null, dana);
            assertThat(refused.status()).as(refused.text()).isEqualTo(403);
            assertThat(json(refused).get("type").asText()).isEqualTo("/problems/forbidden");
        });
    }

    @Test
    void theAdminRoutesTakeTheRoleFromTheAccountNotTheToken() {
        String dana = AuthApps.tokenOf(accounts, "dana@school.example", "facilitator");
        String admin = AuthApps.tokenOf(accounts, "admin@district.example", "admin");
        String forged = resigned(dana, "admin");
        test((server, client) -> {
            assertThat(send(client, "GET", "/api/v1/admin/facilitators", null, admin).status()).as("a real admin").isEqualTo(200);
            for (Answer refused : new Answer[] {
                send(client, "GET", "/api/v1/admin/facilitators", null, forged),
                send(client, "GET", "/api/v1/admin/security-incidents", null, forged),
                send(client, "POST", "/api/v1/admin/facilitators",
                        "{\"email\": \"new@school.example\", \"display_name\": \"New\", \"password\": \"" + AuthApps.PASSWORD + "\"}", forged)}) {
                assertThat(refused.status()).isEqualTo(403);
                assertThat(json(refused).get("type").asText()).isEqualTo("/problems/forbidden");
            }

            owner.useHandle(handle -> handle.execute("UPDATE facilitators SET role = 'facilitator' WHERE email = 'admin@district.example'"));
            assertThat(send(client, "GET", "/api/v1/admin/facilitators", null, admin).status()).as("demoted: at once").isEqualTo(403);
        });
    }
}
