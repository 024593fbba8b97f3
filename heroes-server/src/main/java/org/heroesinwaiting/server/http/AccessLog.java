package org.heroesinwaiting.server.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After each answer: one access-log line, and the request's latency in the
 * {@code http_server_requests_seconds} histogram, by method, route template and status (a
 * template, never a raw path, so ids cannot explode the number of series).
 */
public final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("heroes.access");

    private final MeterRegistry metrics;
    private final ClientAddresses clients;

    /**
     * @param metrics where latencies go
     * @param clients how to tell the client's address
     */
    public AccessLog(MeterRegistry metrics, ClientAddresses clients) {
        this.metrics = requireNonNull(metrics, "metrics");
        this.clients = requireNonNull(clients, "clients");
    }

    /**
     * Javalin's request logger: runs after the response is written.
     *
     * @param ctx the request
     * @param milliseconds how long it took
     */
    public void record(Context ctx, Float milliseconds) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        int status = ctx.statusCode();
        Timer.builder("http.server.requests")
                .description("HTTP requests by route and status")
                .tag("method", method)
                .tag("route", route)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(metrics)
                .record((long) (milliseconds * 1_000_000L), TimeUnit.NANOSECONDS);
        if (LOG.isInfoEnabled()) {
            // a student's address is personal data: path templates and ids only, never a body
            LOG.info("{} {} {} {} {}ms {} {}", clients.of(ctx).getHostAddress(), method, ctx.path(), status,
                    String.format(Locale.ROOT, "%.1f", milliseconds), RequestIds.of(ctx), route);
        }
    }
}
