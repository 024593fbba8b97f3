package org.heroesinwaiting.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;

import io.javalin.testtools.JavalinTest;
import java.net.InetAddress;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.core.auth.FacilitatorAccounts;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.config.CidrList;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Admin routes: token (401), then address (403), then role (403); and the trusted-proxy rule. */
class AdminAndProxyTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().perClass();

    private static Heroes heroes;
    private static FacilitatorAccounts accounts;
    private static String admin;
    private static String facilitator;

    @BeforeAll
    static void accounts(DataSource app) {
        heroes = TestHeroes.on(app);
        accounts = heroes.accounts();
        admin = AuthApps.tokenOf(accounts, "admin@district.example", "admin");
        facilitator = AuthApps.tokenOf(accounts, "teacher@school.example", "facilitator");
    }

    @AfterAll
    static void close() {
        heroes.close();
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void anAdminFromAnAllowedAddressIsServed() {
        JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
            assertThat(client.get("/api/v1/admin/ping", request -> request.header("Authorization", bearer(admin))).code()).isEqualTo(200);
        });
    }

    @Test
    void withoutATokenAnAdminRouteIs401BeforeTheAddressIsEvenLookedAt() {
        JavalinTest.test(TestApps.app(Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8"), heroes), (server, client) -> {
            assertProblem(client.get("/api/v1/admin/ping"), 401, "unauthorized");
        });
    }

    @Test
    void anAdminFromOutsideTheAllowListIs403() {
        JavalinTest.test(TestApps.app(Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8"), heroes), (server, client) -> {
            assertProblem(client.get("/api/v1/admin/ping", request -> request.header("Authorization", bearer(admin))), 403, "forbidden");
            assertThat(client.get("/health").code()).as("other routes are not affected").isEqualTo(200);
        });
    }

    @Test
    void aFacilitatorWhoIsNoAdminIs403() {
        JavalinTest.test(TestApps.app(Map.of(), heroes), (server, client) -> {
            assertProblem(client.get("/api/v1/admin/ping", request -> request.header("Authorization", bearer(facilitator))),
                    403, "forbidden");
        });
    }

    @Test
    void anUnknownAdminRouteIsStill404() {
        JavalinTest.test(TestApps.app(Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8"), heroes), (server, client) -> {
            assertProblem(client.get("/api/v1/admin/nothing"), 404, "not-found");
        });
    }

    @Test
    void aTrustedProxyForwardsTheClientsAddress() {
        Map<String, String> environment = Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8", "HEROES_TRUSTED_PROXIES", "127.0.0.1/32,::1/128");
        JavalinTest.test(TestApps.app(environment, heroes), (server, client) -> {
            assertThat(client.get("/api/v1/admin/ping", request -> request.header("Authorization", bearer(admin))
                    .header("X-Forwarded-For", "10.1.2.3")).code()).isEqualTo(200);
            assertProblem(client.get("/api/v1/admin/ping", request -> request.header("Authorization", bearer(admin))
                    .header("X-Forwarded-For", "203.0.113.9")), 403, "forbidden");
        });
    }

    @Test
    void anUntrustedPeerCannotForgeItsAddress() {
        JavalinTest.test(TestApps.app(Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8"), heroes), (server, client) -> {
            assertProblem(client.get("/api/v1/admin/ping", request -> request.header("Authorization", bearer(admin))
                    .header("X-Forwarded-For", "10.1.2.3")), 403, "forbidden");
        });
    }

    @Test
    void theClientIsTheRightmostAddressThatIsNoTrustedProxy() throws Exception {
        ClientAddresses addresses = new ClientAddresses(CidrList.parse("192.0.2.0/24"));

        // the client wrote 10.9.9.9 itself; 198.51.100.7 is what the outer proxy saw
        assertThat(addresses.resolve("192.0.2.1", "10.9.9.9, 198.51.100.7, 192.0.2.5"))
                .isEqualTo(InetAddress.getByName("198.51.100.7"));
        assertThat(addresses.resolve("192.0.2.1", "192.0.2.9")).isEqualTo(InetAddress.getByName("192.0.2.9"));
        assertThat(addresses.resolve("192.0.2.1", "garbage, 198.51.100.7")).isEqualTo(InetAddress.getByName("198.51.100.7"));
        assertThat(addresses.resolve("192.0.2.1", "198.51.100.7, not-an-ip")).isEqualTo(InetAddress.getByName("192.0.2.1"));
        assertThat(addresses.resolve("203.0.113.1", "10.0.0.1")).isEqualTo(InetAddress.getByName("203.0.113.1"));
        assertThat(addresses.resolve("::ffff:192.0.2.1", "2001:db8::1")).isEqualTo(InetAddress.getByName("2001:db8::1"));
    }
}
