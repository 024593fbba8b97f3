package org.heroesinwaiting.server.http;

import static java.util.Objects.requireNonNull;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * After each answer: one access-log line on standard output (time, client address, method, path,
 * status, milliseconds, request id, route), written by a {@link LineWriter} off the request's
 * thread, and the request's latency in the {@code http_server_requests_seconds} histogram, by
 * method, route template and status (a template, never a raw path, so ids cannot explode the
 * number of series).
 */
public final class AccessLog implements AutoCloseable {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_INSTANT;

    private final MeterRegistry metrics;
    private final ClientAddresses clients;
    private final LineWriter lines;
    /** Routes are templates and statuses few, so this stays small; saves a registry lookup per request. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    /**
     * @param metrics where latencies go
     * @param clients how to tell the client's address
     * @param lines where the lines go
     */
    public AccessLog(MeterRegistry metrics, ClientAddresses clients, LineWriter lines) {
        this.metrics = requireNonNull(metrics, "metrics");
        this.clients = requireNonNull(clients, "clients");
        this.lines = requireNonNull(lines, "lines");
        metrics.gauge("heroes.access.log.dropped", lines, LineWriter::dropped);
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
        timers.computeIfAbsent(new TimerKey(method, route, status), this::timer)
                .record((long) (milliseconds * 1_000_000L), TimeUnit.NANOSECONDS);
        // never a body, never a token: who, what, how it went; tenths of a millisecond, rounded
        long tenths = Math.round(milliseconds * 10.0);
        lines.write(TIME.format(Instant.now()) + " access " + clients.of(ctx).getHostAddress() + " " + method + " " + ctx.path() + " "
                + status + " " + tenths / 10 + "." + tenths % 10 + "ms " + RequestIds.of(ctx) + " " + route);
    }

    private Timer timer(TimerKey key) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests by route and status")
                .tag("method", key.method())
                .tag("route", key.route())
                .tag("status", Integer.toString(key.status()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(metrics);
    }

    private record TimerKey(String method, String route, int status) {
    }

    /** Writes the lines that wait. */
    @Override
    public void close() {
        lines.close();
    }
}
