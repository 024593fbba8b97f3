package org.heroesinwaiting.server.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.server.config.EnvironmentConfig;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** serve against a database given by URL (the testkit's), as a deployment with its own PostgreSQL runs it. */
class ServerRuntimeTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @TempDir
    Path dataDir;

    @Test
    void servesAsTheApplicationLoginAndReportsHealthy(TestDatabase database) throws Exception {
        try (ServerRuntime runtime = ServerRuntime.start(config(database, "heroes_app", database.password(DatabaseLogin.APP)), false)) {
            HttpResponse<String> health = get(runtime, "/health");

            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"UP\"", "\"schema\"", "\"jobs\"")
                    .as("a server of one's own archives WAL only when the DBA says so").contains("off: on a server of your own");
            assertThat(get(runtime, "/metrics").body()).contains("hikaricp_connections_active", "hikaricp_connections_pending");
        }
        Path keyring = dataDir.resolve("jwt-keys.json");
        assertThat(keyring).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyring))).isEqualTo("rw-------");
        assertThat(Files.readString(keyring)).containsPattern("\"secret\": \"[A-Za-z0-9_-]{43}\"").contains("\"active\": true");
    }

    @Test
    void refusesToServeAsALoginThatBypassesRowLevelSecurity(TestDatabase database) {
        ServerConfig asOwner = config(database, "heroes_owner", database.password(DatabaseLogin.OWNER));

        assertThatThrownBy(() -> ServerRuntime.start(asOwner, false))
                .isInstanceOf(HeroesException.class)
                .hasMessageContaining("refusing to serve as heroes_owner")
                .hasMessageContaining("BYPASSRLS")
                .hasMessageContaining("--allow-bypass-rls");
        try (ServerRuntime runtime = ServerRuntime.start(asOwner, true)) {
            assertThat(runtime.port()).isPositive();
        }
    }

    @Test
    void anUnreachableDatabaseStopsStartUpWithTheReason(TestDatabase database) {
        Map<String, String> environment = new HashMap<>(environment(database, "heroes_app", ""));
        environment.put("HEROES_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/heroes_in_waiting");

        assertThatThrownBy(() -> ServerRuntime.start(EnvironmentConfig.read(environment), false))
                .isInstanceOf(HeroesException.class)
                .hasMessageContaining("cannot connect to the database as heroes_app");
    }

    @Test
    void theHealthIsDownWithA503WhenTheDatabaseGoesAway(TestDatabase database) throws Exception {
        try (ServerRuntime runtime = ServerRuntime.start(config(database, "heroes_app", database.password(DatabaseLogin.APP)), false)) {
            database.close(); // drops the database, ending the pool's connections

            HttpResponse<String> health = get(runtime, "/health");

            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).startsWith("{\"status\":\"DOWN\"")
                    .containsPattern("\"database\":\\{\"status\":\"DOWN\",\"detail\":\"[^\"]+\"");
        }
    }

    private ServerConfig config(TestDatabase database, String user, String password) {
        return EnvironmentConfig.read(environment(database, user, password));
    }

    private Map<String, String> environment(TestDatabase database, String user, String password) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HEROES_DATABASE_URL", database.jdbcUrl());
        environment.put("HEROES_DATABASE_USER", user);
        environment.put("HEROES_DATABASE_PASSWORD", password);
        environment.put("HEROES_PORT", "0");
        environment.put("HEROES_DATA_DIR", dataDir.toString());
        environment.put("HEROES_DRAIN_TIMEOUT", "PT0S");
        return environment;
    }

    private static HttpResponse<String> get(ServerRuntime runtime, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
