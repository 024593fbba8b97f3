package org.heroesinwaiting.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.heroesinwaiting.server.metrics.ServerMetrics;
import org.heroesinwaiting.server.support.TestApps;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void requestsAreTimedByRouteTemplateAndStatusNeverByRawPath() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JavalinTest.test(TestApps.frame(Map.of(), List.of(), registry), (server, client) -> {
            client.get("/problems/not-found");
            client.get("/problems/conflict");
            client.get("/no/such/route/12345");

            Response metrics = client.get("/metrics");

            assertThat(metrics.code()).isEqualTo(200);
            assertThat(org.heroesinwaiting.server.support.HttpAssertions.header(metrics, "Content-Type")).startsWith("text/plain; version=0.0.4");
            String text = metrics.body().string();
            assertThat(text).contains("http_server_requests_seconds_bucket{method=\"GET\",route=\"/problems/{slug}\",status=\"200\"");
            assertThat(text).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/problems/{slug}\",status=\"200\"} 2");
            assertThat(text).contains("route=\"unmatched\",status=\"404\"");
            assertThat(text).doesNotContain("12345", "/problems/conflict");
        });
    }

    @Test
    void theJvmIsMeasured() {
        try (ServerMetrics metrics = new ServerMetrics()) {
            String text = metrics.registry().scrape();

            assertThat(text).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds",
                    "jvm_classes_loaded_classes");
        }
    }
}
