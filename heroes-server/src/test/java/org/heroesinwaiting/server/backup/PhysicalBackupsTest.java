package org.heroesinwaiting.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
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
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.retention.backup.BackupTarget;
import org.heroesinwaiting.server.Main;
import org.heroesinwaiting.server.config.ConfigurationException;
import org.heroesinwaiting.server.config.EnvironmentConfig;
import org.heroesinwaiting.server.config.ServerConfig;
import org.heroesinwaiting.server.health.HealthStatus;
import org.heroesinwaiting.server.runtime.ServerRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Physical backups as the reference server runs them: on the embedded database with pgBackRest
 * installed, WAL archived from the first start and the stanza created and checked; without it,
 * serve still starts and says what to install.
 */
class PhysicalBackupsTest {

    @TempDir
    Path dataDir;

    @Test
    void withoutPgBackRestServeStillStartsPhysicalBackupsAreOffAndHealthNamesThePackage(@TempDir Path nowhere) {
        ServerConfig config = EnvironmentConfig.read(Map.of("HEROES_DATA_DIR", dataDir.toString()));
        ExternalTools without = ExternalTools.of(Map.of("PATH", nowhere.toString()), nowhere);

        PhysicalBackups.Plan plan = PhysicalBackups.plan(config, true, without);
        PhysicalBackups off = plan.setUp(BackupTarget.of("jdbc:postgresql://localhost:1/none", "heroes_backup", ""), true);
        WalArchivingCheck check = new WalArchivingCheck(off, Optional.empty(), Duration.ofMinutes(10), Clock.systemUTC());

        assertThat(plan.archiveSettings()).as("the embedded cluster starts without archiving").isEmpty();
        assertThat(off.pgBackRest()).isEmpty();
        assertThat(check.check().status()).isEqualTo(HealthStatus.UP);
        assertThat(check.check().detail()).contains("off: pgBackRest is not installed", "apt-get install pgbackrest");
        ServerConfig required = EnvironmentConfig.read(Map.of("HEROES_DATA_DIR", dataDir.toString(), "HEROES_PHYSICAL_BACKUPS", "on"));
        assertThatThrownBy(() -> PhysicalBackups.plan(required, true, without)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("HEROES_PHYSICAL_BACKUPS").hasMessageContaining("pgbackrest");
        assertThatThrownBy(() -> EnvironmentConfig.read(Map.of("HEROES_PHYSICAL_BACKUPS", "sometimes")))
                .hasMessageContaining("is auto, on or off, not sometimes");
    }

    @Test
    void theEmbeddedServerArchivesThroughPgBackRestFromItsFirstStartAndTakesPhysicalBackups() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("HEROES_DATA_DIR", dataDir.toString());
        environment.put("HEROES_PORT", "0");
        environment.put("HEROES_DRAIN_TIMEOUT", "PT0S");
        try (ServerRuntime runtime = ServerRuntime.start(EnvironmentConfig.read(environment), false)) {
            String health = get(runtime, "/health");
            Outcome full = run(environment, "backup", "run", "--kind", "physical-full", "--json");
            Outcome daily = run(environment, "backup", "run", "--kind", "daily");
            Outcome archiveCommand = run(environment, "backup", "archive-command");
            Outcome list = run(environment, "backup", "list");

            assertThat(health).containsPattern("\"wal-archiving\":\\{\"status\":\"UP\",\"detail\":\"archiving: [0-9]+ segments waiting")
                    .contains("on: pgBackRest stanza heroes");
            assertThat(full.code()).as(full.err()).isZero();
            assertThat(full.out()).contains("\"kind\":\"physical-full\"", "\"format\":\"pgbackrest\"", "\"type\":\"full\"");
            assertThat(daily.code()).as(daily.err()).isZero();
            assertThat(daily.out()).startsWith("backup 2: daily (pgBackRest diff ");
            assertThat(archiveCommand.out()).contains("archive_mode = on", "archive_timeout = 60", "archive-push %p",
                    dataDir.resolve("pgbackrest").resolve("pgbackrest.conf").toString());
            assertThat(list.out()).contains("physical-full", "daily", "pgbackrest");
            System.gc(); // a gauge holds its object weakly: the metrics must outlive a collection
            assertThat(get(runtime, "/metrics")).contains("heroes_wal_oldest_unarchived_seconds", "heroes_wal_archive_failing 0.0")
                    .containsPattern("heroes_backup_last_success_seconds\\{kind=\"physical-full\"} [0-9]");
        }
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Outcome(code, out.toString(), err.toString());
    }

    private static String get(ServerRuntime runtime, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + runtime.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
