package org.heroesinwaiting.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.javalin.testtools.JavalinTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.heroesinwaiting.server.config.CidrList;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    @Test
    void oneLinePerRequestWithTheRouteTemplateAndNeverTheQueryOrAHeaderValue() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        AccessLog accessLog = new AccessLog(metrics, new ClientAddresses(CidrList.none()),
                new LineWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8), 100));
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.requestLogger.http(accessLog::record);
            cfg.routes.before(RequestIds::assign);
            cfg.routes.get("/things/{id}", ctx -> ctx.status(201).result("made"));
        });

        JavalinTest.test(app, (server, client) -> {
            client.get("/things/42?secret=hunter2", request -> request.header("Authorization", "Bearer sensitive"));
            client.get("/things/43");
            client.get("/nowhere");
        });
        accessLog.close();

        // JavalinTest adds a request of its own (DELETE /clear-cookies-...) after ours
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        assertThat(lines[1]).contains(" GET /things/43 201 ");
        assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z access 127\\.0\\.0\\.1 GET /things/42 201 \\d+\\.\\dms \\S+ /things/\\{id}");
        assertThat(lines[2]).matches(".* GET /nowhere 404 \\d+\\.\\dms \\S+ unmatched");
        assertThat(String.join("\n", lines)).doesNotContain("hunter2").doesNotContain("sensitive");
        assertThat(metrics.get("http.server.requests").tag("route", "/things/{id}").tag("status", "201").timer().count()).isEqualTo(2);
    }
}
