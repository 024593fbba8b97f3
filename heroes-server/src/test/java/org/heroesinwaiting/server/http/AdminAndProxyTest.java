package org.heroesinwaiting.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.http.HttpErrorsTest.assertProblem;

import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.heroesinwaiting.server.config.CidrList;
import org.heroesinwaiting.server.support.TestApps;
import org.junit.jupiter.api.Test;

class AdminAndProxyTest {

    private static Javalin app(Map<String, String> environment) {
        return TestApps.withTestRoutes(environment, List.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @Test
    void adminRoutesAnswerTheDefaultAllowListOfLoopback() {
        JavalinTest.test(app(Map.of()), (server, client) -> {
            assertThat(client.get("/api/v1/admin/ping").code()).isEqualTo(200);
        });
    }

    @Test
    void adminRoutesRefuseAnAddressOutsideTheAllowList() {
        JavalinTest.test(app(Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8")), (server, client) -> {
            assertProblem(client.get("/api/v1/admin/ping"), 403, "forbidden");
            assertThat(client.get("/health").code()).as("other routes are not affected").isEqualTo(200);
        });
    }

    @Test
    void anUnknownAdminRouteIsStill404NotForbidden() {
        JavalinTest.test(app(Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8")), (server, client) -> {
            assertProblem(client.get("/api/v1/admin/nothing"), 404, "not-found");
        });
    }

    @Test
    void aTrustedProxyForwardsTheClientsAddress() {
        Map<String, String> environment = Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8", "HEROES_TRUSTED_PROXIES", "127.0.0.1/32,::1/128");
        JavalinTest.test(app(environment), (server, client) -> {
            assertThat(client.get("/api/v1/admin/ping", request -> request.header("X-Forwarded-For", "10.1.2.3")).code())
                    .isEqualTo(200);
            assertProblem(client.get("/api/v1/admin/ping", request -> request.header("X-Forwarded-For", "203.0.113.9")),
                    403, "forbidden");
        });
    }

    @Test
    void anUntrustedPeerCannotForgeItsAddress() {
        JavalinTest.test(app(Map.of("HEROES_ADMIN_ALLOW", "10.0.0.0/8")), (server, client) -> {
            assertProblem(client.get("/api/v1/admin/ping", request -> request.header("X-Forwarded-For", "10.1.2.3")),
                    403, "forbidden");
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
