package org.heroesinwaiting.server.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.heroesinwaiting.server.support.TestApps;
import org.junit.jupiter.api.Test;

class HealthControllerTest {

    private static HealthCheck check(String name, CheckResult result) {
        return new HealthCheck() {
            @Override public String name() { return name; }
            @Override public CheckResult check() { return result; }
        };
    }

    private static Response health(List<HealthCheck> checks) {
        Response[] response = new Response[1];
        JavalinTest.test(TestApps.frame(Map.of(), checks, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)),
                (server, client) -> response[0] = client.get("/health"));
        return response[0];
    }

    @Test
    void theWorstPartSetsTheWholeAndOnlyDownIs503() {
        Response degraded = health(List.of(check("a", CheckResult.up("fine")), check("b", CheckResult.degraded("late backup"))));
        Response down = health(List.of(check("a", CheckResult.degraded("late")), check("b", CheckResult.down("gone"))));

        assertThat(degraded.code()).isEqualTo(200);
        assertThat(degraded.body().string()).startsWith("{\"status\":\"DEGRADED\"").contains("\"detail\":\"late backup\"");
        assertThat(down.code()).isEqualTo(503);
        assertThat(down.body().string()).startsWith("{\"status\":\"DOWN\"");
        assertThat(down.headers().get("Cache-Control")).containsExactly("no-store");
    }

    @Test
    void aCheckThatThrowsIsDown() {
        HealthCheck throwing = new HealthCheck() {
            @Override public String name() { return "disk"; }
            @Override public CheckResult check() { throw new IllegalStateException("no space left"); }
        };

        Response response = health(List.of(throwing));

        assertThat(response.code()).isEqualTo(503);
        assertThat(response.body().string()).contains("IllegalStateException: no space left");
    }

    @Test
    void aCheckThatHangsIsDownAfterItsTimeNotNever() {
        CountDownLatch never = new CountDownLatch(1);
        HealthCheck hanging = new HealthCheck() {
            @Override public String name() { return "database"; }
            @Override public CheckResult check() {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return CheckResult.up("too late");
            }
        };

        Response response = health(List.of(hanging, check("jobs", CheckResult.up("ok"))));

        assertThat(response.code()).isEqualTo(503);
        assertThat(response.body().string()).contains("no answer within 2 s").contains("\"jobs\":{\"status\":\"UP\",\"detail\":\"ok\"}");
    }

    @Test
    void callersInQuickSuccessionShareOneReport() {
        AtomicInteger calls = new AtomicInteger();
        HealthCheck counting = new HealthCheck() {
            @Override public String name() { return "counted"; }
            @Override public CheckResult check() { return CheckResult.up("call " + calls.incrementAndGet()); }
        };
        HealthController controller = new HealthController(List.of(counting), java.time.Duration.ofMinutes(5));

        Map<String, Object> first = controller.report();
        Map<String, Object> second = controller.report();

        assertThat(second).isSameAs(first);
        assertThat(calls).hasValue(1);
    }
}
