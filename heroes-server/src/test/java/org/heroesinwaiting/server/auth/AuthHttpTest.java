package org.heroesinwaiting.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;
import static org.heroesinwaiting.server.support.HttpAssertions.header;
import static org.heroesinwaiting.server.support.HttpAssertions.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.core.auth.HashingPool;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The authentication endpoints through real HTTP and a real database: exact statuses and problem types. */
class AuthHttpTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final Map<String, String> OPEN = Map.of("HEROES_OPEN_REGISTRATION", "true", "HEROES_MAX_BODY_BYTES", "4096");
    private static final String PASSWORD = AuthApps.PASSWORD;

    private Heroes heroes;
    private FacilitatorAccounts accounts;

    @BeforeEach
    void create(DataSource app) {
        heroes = TestHeroes.on(app);
        accounts = heroes.accounts();
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    private static Response post(HttpClient client, String path, String body, String token) {
        return client.request(path, request -> {
            request.post(BodyPublishers.ofString(body)).header("Content-Type", "application/json");
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
        });
    }

    private static Response get(HttpClient client, String path, String token) {
        return client.get(path, request -> request.header("Authorization", "Bearer " + token));
    }

    private static String registerBody(String email, String password) {
        return "{\"email\": \"" + email + "\", \"password\": \"" + password + "\", \"display_name\": \"Dana Rivers\"}";
    }

    private static String loginBody(String email, String password) {
        return "{\"email\": \"" + email + "\", \"password\": \"" + password + "\", \"device_info\": {\"platform\": \"android\"}}";
    }

    @Test
    void registerLoginMeAndLogout() {
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            Response registered = post(client, "/api/v1/auth/register", registerBody("Dana@School.example", PASSWORD), null);
            assertThat(registered.code()).isEqualTo(201);
            assertThat(header(registered, "Location")).isEqualTo("/api/v1/me");
            assertThat(json(registered).get("email").asText()).isEqualTo("dana@school.example");

            Response login = post(client, "/api/v1/auth/login", loginBody("dana@school.example", PASSWORD), null);
            assertThat(login.code()).isEqualTo(200);
            assertThat(header(login, "Cache-Control")).isEqualTo("no-store");
            JsonNode tokens = json(login);
            assertThat(tokens.get("token_type").asText()).isEqualTo("Bearer");
            assertThat(tokens.get("expires_in").asInt()).isEqualTo(900);
            String access = tokens.get("access_token").asText();

            Response me = get(client, "/api/v1/me", access);
            assertThat(me.code()).isEqualTo(200);
            assertThat(json(me).get("display_name").asText()).isEqualTo("Dana Rivers");
            assertThat(json(me).has("password_hash")).isFalse();
            Response sessions = get(client, "/api/v1/me/sessions", access);
            assertThat(json(sessions).get("items").get(0).get("current").asBoolean()).isTrue();
            assertThat(json(sessions).get("items").get(0).get("device_info").get("platform").asText()).isEqualTo("android");

            assertThat(post(client, "/api/v1/auth/logout", "", access).code()).isEqualTo(204);
            assertProblem(get(client, "/api/v1/me", access), 401, "unauthorized");
        });
    }

    @Test
    void everyFailedLoginIsTheSame401() {
        AuthApps.tokenOf(accounts, "t@school.example", "facilitator");
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            Response wrong = post(client, "/api/v1/auth/login", loginBody("t@school.example", "not the password at all"), null);
            Response unknown = post(client, "/api/v1/auth/login", loginBody("nobody@school.example", PASSWORD), null);

            assertProblem(wrong, 401, "unauthorized");
            assertProblem(unknown, 401, "unauthorized");
            assertThat(json(wrong).get("detail").asText()).isEqualTo(json(unknown).get("detail").asText());
        });
    }

    @Test
    void badBodiesGetTheirPreciseProblem() {
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            assertProblem(post(client, "/api/v1/auth/login", "{\"email\": ", null), 400, "malformed-json");
            Response missing = post(client, "/api/v1/auth/login", "{\"email\": \"t@school.example\"}", null);
            assertProblem(missing, 400, "validation-failed");
            assertThat(json(missing).get("errors").get(0).get("pointer").asText()).isEqualTo("/password");
            assertProblem(post(client, "/api/v1/auth/login", "{\"email\": \"a@b.example\", \"password\": \"x\", \"role\": \"admin\"}", null),
                    400, "validation-failed");
            assertProblem(post(client, "/api/v1/auth/login", "{\"email\": \"a@b.example\", \"password\": \"" + "x".repeat(5000) + "\"}", null),
                    413, "payload-too-large");
            assertProblem(client.request("/api/v1/auth/login", request -> request.post(BodyPublishers.ofString("email=a"))
                    .header("Content-Type", "application/x-www-form-urlencoded")), 415, "unsupported-media-type");
        });
    }

    @Test
    void weakPasswordsAreRefusedWithEveryReason() {
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            for (String weak : new String[] {"short", "password1234", "dana.rivers!!2026", "x".repeat(129)}) {
                Response response = post(client, "/api/v1/auth/register", registerBody("dana.rivers@school.example", weak), null);
                assertProblem(response, 400, "weak-password");
                assertThat(json(response).get("errors").get(0).get("pointer").asText()).isEqualTo("/password");
            }
        });
    }

    @Test
    void aTakenEmailIs409AndClosedRegistrationIs403() {
        AuthApps.tokenOf(accounts, "t@school.example", "facilitator");
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            assertProblem(post(client, "/api/v1/auth/register", registerBody("T@school.example", PASSWORD), null), 409, "email-taken");
        });
        JavalinTest.test(TestApps.app(Map.of("HEROES_OPEN_REGISTRATION", "false"), heroes), (server, client) -> {
            assertProblem(post(client, "/api/v1/auth/register", registerBody("new@school.example", PASSWORD), null), 403, "forbidden");
        });
    }

    @Test
    void forgedAndMalformedTokensAre401() {
        String token = AuthApps.tokenOf(accounts, "t@school.example", "facilitator");
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"facilitator\"", "\"admin\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes()) + "." + parts[1] + ".";
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            assertThat(get(client, "/api/v1/me", token).code()).isEqualTo(200);
            for (String forged : new String[] {tampered, none, "not-a-token", token + "x"}) {
                assertProblem(get(client, "/api/v1/me", forged), 401, "unauthorized");
            }
            Response missing = client.get("/api/v1/me");
            assertProblem(missing, 401, "unauthorized");
            assertThat(header(missing, "WWW-Authenticate")).startsWith("Bearer");
            assertProblem(client.get("/api/v1/me", request -> request.header("Authorization", "Basic dGVzdDp0ZXN0")), 401, "unauthorized");
        });
    }

    @Test
    void replayingARefreshTokenEndsTheSessionAndIsRecordedAsAnIncident(@Owner Jdbi owner) {
        AuthApps.tokenOf(accounts, "t@school.example", "facilitator");
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            JsonNode first = json(post(client, "/api/v1/auth/login", loginBody("t@school.example", PASSWORD), null));
            String refreshBody = "{\"refresh_token\": \"" + first.get("refresh_token").asText() + "\"}";
            Response second = post(client, "/api/v1/auth/refresh", refreshBody, null);
            assertThat(second.code()).isEqualTo(200);
            String access = json(second).get("access_token").asText();

            assertProblem(post(client, "/api/v1/auth/refresh", refreshBody, null), 401, "unauthorized");
            assertProblem(get(client, "/api/v1/me", access), 401, "unauthorized");
        });
        long incidents = owner.withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM security_incidents WHERE incident_type = 'refresh_token_reuse' AND severity = 'high'")
                .mapTo(Long.class).one());
        assertThat(incidents).isEqualTo(1);
    }

    @Test
    void throttledLoginsAre429WithRetryAfter() {
        AuthApps.tokenOf(accounts, "t@school.example", "facilitator");
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            for (int i = 0; i < 5; i++) {
                assertProblem(post(client, "/api/v1/auth/login", loginBody("t@school.example", "wrong password " + i), null),
                        401, "unauthorized");
            }
            Response throttled = post(client, "/api/v1/auth/login", loginBody("t@school.example", PASSWORD), null);

            assertProblem(throttled, 429, "rate-limited");
            assertThat(Integer.parseInt(header(throttled, "Retry-After"))).isBetween(1, 30);
        });
    }

    @Test
    void aFullHashingQueueIs503WithRetryAfter(DataSource app) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        try (Heroes saturated = TestHeroes.on(app, java.time.Clock.systemUTC(), TestHeroes.settings().withHashing(1, 1))) {
            HashingPool tiny = saturated.hashing();
            Thread holder = new Thread(() -> tiny.run(() -> {
                busy.countDown();
                return release.await(30, TimeUnit.SECONDS);
            }));
            holder.start();
            assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
            Thread queued = new Thread(() -> tiny.run(() -> true));
            queued.start();
            while (tiny.queued() < 1) {
                Thread.onSpinWait();
            }
            AtomicInteger statements = new AtomicInteger();
            saturated.jdbi().setSqlLogger(new SqlLogger() {
                @Override
                public void logBeforeExecution(StatementContext context) {
                    statements.incrementAndGet();
                }
            });
            try {
                JavalinTest.test(TestApps.app(OPEN, saturated), (server, client) -> {
                    Response overloaded = post(client, "/api/v1/auth/login", loginBody("t@school.example", PASSWORD), null);

                    assertProblem(overloaded, 503, "overloaded");
                    assertThat(header(overloaded, "Retry-After")).isEqualTo("2");
                    assertThat(statements.get()).as("refused before the throttle and the account are read").isZero();
                });
            } finally {
                release.countDown();
                holder.join(30_000);
                queued.join(30_000);
            }
        }
    }

    @Test
    void changingThePasswordEndsOtherSessions() {
        AuthApps.tokenOf(accounts, "t@school.example", "facilitator");
        JavalinTest.test(TestApps.app(OPEN, heroes), (server, client) -> {
            String here = json(post(client, "/api/v1/auth/login", loginBody("t@school.example", PASSWORD), null)).get("access_token").asText();
            String there = json(post(client, "/api/v1/auth/login", loginBody("t@school.example", PASSWORD), null)).get("access_token").asText();

            Response wrongCurrent = post(client, "/api/v1/me/password",
                    "{\"current_password\": \"nope nope nope\", \"new_password\": \"another fine long passphrase\"}", here);
            assertProblem(wrongCurrent, 400, "validation-failed");
            Response weak = post(client, "/api/v1/me/password",
                    "{\"current_password\": \"" + PASSWORD + "\", \"new_password\": \"password1234\"}", here);
            assertProblem(weak, 400, "weak-password");
            assertThat(json(weak).get("errors").get(0).get("pointer").asText()).isEqualTo("/new_password");
            assertThat(post(client, "/api/v1/me/password",
                    "{\"current_password\": \"" + PASSWORD + "\", \"new_password\": \"another fine long passphrase\"}", here).code())
                    .isEqualTo(204);

            assertThat(get(client, "/api/v1/me", here).code()).isEqualTo(200);
            assertProblem(get(client, "/api/v1/me", there), 401, "unauthorized");
        });
    }
}
