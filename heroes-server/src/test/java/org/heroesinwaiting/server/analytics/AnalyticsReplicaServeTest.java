package org.heroesinwaiting.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.server.config.EnvironmentConfig;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.runtime.ServerLibrary;
import org.heroesinwaiting.server.runtime.ServerRuntime;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.Replica;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} with {@code HEROES_ANALYTICS_DATABASE_URL} on a real streaming replica of its
 * database: the rollups are written on the primary, the admin endpoints read the views on the
 * replica, and {@code /health} reports the replica's replay lag and degrades past the bound.
 */
class AnalyticsReplicaServeTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().withReplica();

    private static final Duration HEALTH_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    @Test
    void theAdminEndpointsReadTheReplicaAndHealthDegradesWhileItsReplayLagsPastTheBound(
            TestDatabase database, Replica replica, @Owner Jdbi owner) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("HEROES_DATABASE_URL", database.jdbcUrl());
        environment.put("HEROES_DATABASE_PASSWORD", database.password(DatabaseLogin.APP));
        environment.put("HEROES_ANALYTICS_DATABASE_URL", replica.jdbcUrl(database));
        environment.put("HEROES_ANALYTICS_DATABASE_PASSWORD", database.password(DatabaseLogin.ANALYTICS));
        environment.put("HEROES_ANALYTICS_MAX_REPLAY_LAG", "PT0.001S");
        environment.put("HEROES_PORT", "0");
        environment.put("HEROES_DATA_DIR", dataDir.toString());
        environment.put("HEROES_DRAIN_TIMEOUT", "PT0S");
        ServerConfig config = EnvironmentConfig.read(environment);

        try (ServerRuntime runtime = ServerRuntime.start(config, false);
                Heroes sameKeys = ServerLibrary.create(config, database.dataSource(DatabaseLogin.APP), Optional.empty(), Clock.systemUTC())) {
            replica.awaitReplay();
            assertThat(awaitHealth(runtime, "\"analytics-replica\":{\"status\":\"UP\"")).contains("behind its primary (at most 1 ms)");

            replica.pauseReplay();
            AnalyticsHttpTest.school(owner); // a school's month, and the refresh, on the primary
            String admin = AuthApps.tokenOf(sameKeys.accounts(), "admin@district.example", "admin");
            String behind = awaitHealth(runtime, "\"analytics-replica\":{\"status\":\"DEGRADED\"");

            assertThat(behind).contains("HEROES_ANALYTICS_MAX_REPLAY_LAG").startsWith("{\"status\":\"DEGRADED\"");
            assertThat(rows(runtime, admin, "")).as("read on the paused replica, which has not replayed the refresh").isEmpty();

            replica.resumeReplay();
            replica.awaitReplay();

            JsonNode rows = rows(runtime, admin, "?lesson=1");
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).get("sessions_started").asInt()).isEqualTo(12);
            assertThat(rows.get(1).get("suppressed").asBoolean()).isTrue();
            assertThat(awaitHealth(runtime, "\"analytics-replica\":{\"status\":\"UP\"")).startsWith("{\"status\":\"UP\"")
                    .as("the bound is 1 ms: the replica has replayed all it received").contains("replays 0 ms behind its primary");
        }
    }

    private static JsonNode rows(ServerRuntime runtime, String admin, String query) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + runtime.port() + "/api/v1/admin/analytics/lesson-completion" + query))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body()).get("rows");
    }

    private static String health(ServerRuntime runtime) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * Polls {@code /health} a bounded while: a paused replica degrades once it has received WAL it
     * may not replay, and a resumed one is UP once it has replayed all it received (the server's
     * own jobs write on the primary every few seconds).
     */
    private static String awaitHealth(ServerRuntime runtime, String expected) throws Exception {
        long deadline = System.nanoTime() + HEALTH_WAIT.toNanos();
        String body = health(runtime);
        while (!body.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            body = health(runtime);
        }
        assertThat(body).contains(expected);
        return body;
    }
}
