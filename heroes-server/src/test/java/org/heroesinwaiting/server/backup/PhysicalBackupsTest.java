package org.heroesinwaiting.server.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.heroesinwaiting.server.embedded.EmbeddedSecrets;
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
        // with a backup keyring the repository is encrypted, with a passphrase derived from the key active at its creation
        Path keys = dataDir.resolve("backup-keys");
        java.nio.file.Files.writeString(keys, "repo-key " + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        java.nio.file.Files.setPosixFilePermissions(keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        environment.put("HEROES_BACKUP_KEYS", keys.toString());
        long inPlace;
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
            assertThat(java.nio.file.Files.readString(dataDir.resolve("pgbackrest").resolve("repositories")))
                    .isEqualTo("repo-key " + dataDir.resolve("backups").resolve("pgbackrest") + "\n");
            assertThat(java.nio.file.Files.readString(dataDir.resolve("pgbackrest").resolve("pgbackrest.conf")))
                    .contains("repo1-cipher-type=aes-256-cbc");
            assertThat(java.nio.file.Files.readString(dataDir.resolve("backups").resolve("pgbackrest").resolve("backup").resolve("heroes")
                    .resolve("backup.info"), java.nio.charset.StandardCharsets.ISO_8859_1)).as("encrypted").doesNotContain("[backrest]");

            // the guide's point-in-time line, then heroes recover: the copy runs on a port of its own, the live database untouched
            EmbeddedSecrets secrets = EmbeddedSecrets.loadOrCreate(dataDir);
            String url = "jdbc:postgresql://localhost:" + port() + "/heroes_in_waiting";
            long request;
            try (Connection app = DriverManager.getConnection(url, "heroes_app", secrets.logins().app()); Statement sql = app.createStatement()) {
                sql.execute("SELECT 1"); // a commit after the target, so that replay stops there
                try (ResultSet rs = sql.executeQuery("SELECT initiate_recovery('point_in_time', NULL, (clock_timestamp() AT TIME ZONE 'UTC')::timestamp,"
                        + " NULL, 'replace', 'UTC')")) {
                    rs.next();
                    request = rs.getLong(1);
                }
            }
            Path into = dataDir.resolve("recovered-copy");
            Outcome recover = run(environment, "recover", Long.toString(request), "--into", into.toString());
            try {
                assertThat(recover.code()).as(recover.err()).isZero();
                Matcher port = Pattern.compile("runs on localhost:([0-9]+) from").matcher(recover.out());
                assertThat(port.find()).as(recover.out()).isTrue();
                try (Connection copy = DriverManager.getConnection("jdbc:postgresql://localhost:" + port.group(1) + "/heroes_in_waiting",
                        "postgres", secrets.superuser()); Statement sql = copy.createStatement();
                        ResultSet rs = sql.executeQuery("SELECT pg_is_in_recovery(), count(*) FROM lessons")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).isFalse();
                }
                assertThat(run(environment, "recover", Long.toString(request)).err()).contains("is not a request waiting to run");
            } finally {
                stopCluster(into);
            }
            System.gc(); // a gauge holds its object weakly: the metrics must outlive a collection
            assertThat(get(runtime, "/metrics")).contains("heroes_wal_oldest_unarchived_seconds", "heroes_wal_archive_failing 0.0")
                    .containsPattern("heroes_backup_last_success_seconds\\{kind=\"physical-full\"} [0-9]");

            // in place of the embedded database: refused while serve runs it; then, with serve stopped, it takes its place
            try (Connection owner = DriverManager.getConnection(url, "heroes_owner", secrets.logins().owner()); Statement sql = owner.createStatement()) {
                try (ResultSet rs = sql.executeQuery("SELECT initiate_recovery('point_in_time', NULL, (clock_timestamp() AT TIME ZONE 'UTC')::timestamp,"
                        + " NULL, 'replace', 'UTC')")) {
                    rs.next();
                    inPlace = rs.getLong(1);
                }
                Thread.sleep(1000);
                sql.execute("CREATE TABLE public.after_the_target (x integer)");
            }
            Outcome refused = run(environment, "recover", Long.toString(inPlace), "--in-place");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("./heroes serve runs the embedded database: stop it first");
        }
        Outcome replaced = run(environment, "recover", Long.toString(inPlace), "--in-place");

        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("runs in place from " + dataDir.resolve("postgres"), "postgres.replaced-" + inPlace);
        assertThat(dataDir.resolve("postgres.replaced-" + inPlace).resolve("PG_VERSION")).as("the replaced cluster is kept").exists();
        try (org.heroesinwaiting.server.embedded.EmbeddedDatabase database = org.heroesinwaiting.server.embedded.EmbeddedDatabase.start(dataDir);
                Connection superuser = database.superuser().getConnection(); Statement sql = superuser.createStatement();
                ResultSet rs = sql.executeQuery("SELECT to_regclass('public.after_the_target') IS NULL, "
                        + "(SELECT status || ' ' || (steps -> -1 ->> 'step') FROM recovery_log WHERE id = " + inPlace + ")")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("what came after the target is not there").isTrue();
            assertThat(rs.getString(2)).isEqualTo("succeeded in-place");
        }

        // a new active key: serve starts a new repository for it, the old one retiring behind it; the next daily is a full there
        byte[] newKey = new byte[32];
        java.util.Arrays.fill(newKey, (byte) 9);
        java.nio.file.Files.writeString(keys, "new-key " + java.util.Base64.getEncoder().encodeToString(newKey) + "\nrepo-key "
                + java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        Path backups = dataDir.resolve("backups");
        try (ServerRuntime runtime = ServerRuntime.start(EnvironmentConfig.read(environment), false)) {
            assertThat(get(runtime, "/health")).contains("repository " + backups.resolve("pgbackrest-new-key") + " (1 older, retiring: "
                    + backups.resolve("pgbackrest") + ")");
            Outcome daily = run(environment, "backup", "run", "--kind", "daily");
            assertThat(daily.code()).as(daily.err()).isZero();
            assertThat(daily.out()).as("the new repository's first daily").contains("daily (pgBackRest full ");
        }
        assertThat(java.nio.file.Files.readString(dataDir.resolve("pgbackrest").resolve("repositories")))
                .isEqualTo("new-key " + backups.resolve("pgbackrest-new-key") + "\nrepo-key " + backups.resolve("pgbackrest") + "\n");
        assertThat(java.nio.file.Files.readString(dataDir.resolve("pgbackrest").resolve("pgbackrest.conf")))
                .contains("repo1-path=" + backups.resolve("pgbackrest-new-key"), "repo2-path=" + backups.resolve("pgbackrest"),
                        "repo2-cipher-type=aes-256-cbc");

        // a release cut short (the cleanup marked the old repository, then stopped deleting it): the next start finishes it
        java.nio.file.Files.writeString(backups.resolve("pgbackrest").resolve(org.heroesinwaiting.retention.physical.PgBackRest.RELEASED), "");
        try (ServerRuntime runtime = ServerRuntime.start(EnvironmentConfig.read(environment), false)) {
            assertThat(get(runtime, "/health")).contains("repository " + backups.resolve("pgbackrest-new-key")).doesNotContain("retiring");
        }
        assertThat(java.nio.file.Files.readString(dataDir.resolve("pgbackrest").resolve("repositories")))
                .isEqualTo("new-key " + backups.resolve("pgbackrest-new-key") + "\n");
        assertThat(backups.resolve("pgbackrest")).doesNotExist();
        assertThat(java.nio.file.Files.readString(dataDir.resolve("pgbackrest").resolve("pgbackrest.conf"))).doesNotContain("repo2-");
    }

    private record Outcome(int code, String out, String err) {
    }

    /** The embedded cluster's port, from its postmaster.pid (its fourth line). */
    private int port() throws Exception {
        return Integer.parseInt(java.nio.file.Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(3).strip());
    }

    /** Stops a recovered copy as pg_ctl does it (in a user namespace of its own when root, as it was started). */
    private static void stopCluster(Path dataDirectory) throws Exception {
        if (!java.nio.file.Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            return;
        }
        java.util.List<String> command = new java.util.ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(java.util.List.of("unshare", "-U"));
        }
        command.addAll(java.util.List.of(ExternalTools.system().postgres("pg_ctl").toString(), "stop", "-D", dataDirectory.toString(),
                "-m", "immediate", "-w"));
        new ProcessBuilder(command).inheritIO().start().waitFor();
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
