package org.heroesinwaiting.retention.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.heroesinwaiting.core.tools.ExternalTools;
import org.heroesinwaiting.core.tools.Folders;
import org.heroesinwaiting.retention.backup.BackupFixtures;
import org.heroesinwaiting.retention.backup.BackupKind;
import org.heroesinwaiting.retention.physical.ArchivedCluster;
import org.heroesinwaiting.retention.physical.PgBackRestConfig;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.DedicatedServer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A point-in-time recovery handed over in place of the live cluster, with the real pgBackRest and
 * a real cluster whose data directory is swapped: the old one kept, the recovered one archiving on,
 * the recovery's record carried into it; and a copy that does not start puts the old one back.
 * One stanza and one full backup for the class (the second test runs on the first's new timeline).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InPlaceRecoveryTest {

    @TempDir
    static Path folder;

    private static ArchivedCluster cluster;
    private static DedicatedServer server;
    private static Jdbi owner;
    private static PointInTimeRecovery recovery;
    private static RecoveryRequests requests;

    @BeforeAll
    static void start() {
        cluster = ArchivedCluster.start(folder, PgBackRestConfig.DEFAULT_ARCHIVE_FULLS);
        server = cluster.server();
        owner = cluster.database().jdbi(DatabaseLogin.OWNER);
        BackupFixtures.school(owner, 2, 3);
        cluster.physicalBackups().run(BackupKind.PHYSICAL_FULL, Optional.empty());
        recovery = new PointInTimeRecovery(cluster.catalog(), new ClusterLogin("localhost", server.port(), "postgres", ""),
                ExternalTools.system(), cluster.pgBackRest());
        requests = new RecoveryRequests(cluster.catalog());
    }

    @AfterAll
    static void stop() throws IOException {
        if (cluster != null) {
            Path live = server.dataDirectory().toAbsolutePath();
            cluster.close();
            // the swaps keep the replaced cluster and the copy that did not start beside the live one (in /dev/shm)
            try (Stream<Path> siblings = Files.list(live.getParent())) {
                for (Path kept : siblings.filter(path -> path.getFileName().toString().startsWith(live.getFileName() + ".")).toList()) {
                    Folders.delete(kept);
                }
            }
        }
    }

    @Test
    @Order(1)
    void aCopyThatDoesNotStartInPlacePutsTheOldClusterBackRunningAndSaysSo() throws Exception {
        addClassroom("Before the failed swap");
        Instant target = moment();
        addClassroom("After the failed swap's target");
        AtomicInteger starts = new AtomicInteger();
        ManagedCluster refusingOnce = new Live() {
            @Override
            public ClusterLogin start() throws IOException {
                if (starts.incrementAndGet() == 1) {
                    throw new IOException("refused for the test: the port is taken");
                }
                return super.start();
            }
        };
        long id = request(target);

        assertThatThrownBy(() -> recovery.executeInPlace(requests.find(id), refusingOnce))
                .isInstanceOf(RestoreFailedException.class).hasMessageContaining("was not handed over in place")
                .hasMessageContaining("refused for the test");

        assertThat(server.isRunning()).isTrue();
        assertThat(names()).as("the old cluster, as it was").contains("Before the failed swap", "After the failed swap's target");
        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("status", "failed").containsEntry("last_step", "put-back");
        assertThat((String) row.get("error")).contains("did not start in place").contains(".recovered-" + id);
        assertThat(Files.exists(server.dataDirectory().resolveSibling(server.dataDirectory().getFileName() + ".recovered-" + id)))
                .as("the copy that did not start is kept for a look").isTrue();
        assertThat(Files.exists(server.dataDirectory().resolveSibling(server.dataDirectory().getFileName() + ".replaced-" + id))).isFalse();
    }

    @Test
    @Order(2)
    void theRecoveredClusterTakesTheLiveOnesPlaceArchivesOnAndKnowsTheRecoveryThatMadeIt() throws Exception {
        addClassroom("Kept by the recovery");
        Instant target = moment();
        addClassroom("Written after the target");
        long id = request(target);

        InPlaceResult result = recovery.executeInPlace(requests.find(id), new Live());

        assertThat(result.dataDirectory()).isEqualTo(server.dataDirectory().toAbsolutePath().normalize());
        assertThat(names()).contains("Kept by the recovery").doesNotContain("Written after the target");
        assertThat(result.replaced()).isEqualTo(result.dataDirectory().resolveSibling(result.dataDirectory().getFileName() + ".replaced-" + id));
        assertThat(result.replaced().resolve("PG_VERSION")).as("the replaced cluster is kept").exists();
        Map<String, Object> row = row(id);
        assertThat(row).as("carried into the recovered cluster").containsEntry("status", "succeeded").containsEntry("last_step", "in-place");
        assertThat((String) row.get("steps")).isEqualTo("archive,restore,start,promote,check,erasure-ledger,hand-over,in-place");
        assertThat(request(moment())).as("the next request does not take the carried row's id").isGreaterThan(id);

        // it archives, on its new timeline, into the same repository
        assertThat(one("SELECT current_setting('archive_mode')")).isEqualTo("on");
        assertThat(one("SELECT setting FROM pg_settings WHERE name = 'restore_command'")).as("pgBackRest's recovery settings are gone").isEmpty();
        String segment = one("SELECT pg_walfile_name(pg_switch_wal())");
        assertThat(segment).as("a timeline after the first").doesNotStartWith("00000001");
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (one("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver").compareTo(segment) < 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(one("SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")).isGreaterThanOrEqualTo(segment);
        assertThat(cluster.physicalBackups().verify()).as("pgbackrest verify after the hand-over").isEmpty();
    }

    /** The test's server, as the live cluster an in-place recovery stops and starts. */
    private static class Live implements ManagedCluster {

        @Override
        public Path dataDirectory() {
            return server.dataDirectory();
        }

        @Override
        public void stop() {
            server.stop();
        }

        @Override
        public ClusterLogin start() throws IOException {
            server.start();
            return new ClusterLogin("localhost", server.port(), "postgres", "");
        }
    }

    private static long request(Instant target) {
        return cluster.catalog().selfContained(handle -> handle.createQuery(
                "SELECT initiate_recovery('point_in_time', NULL, CAST(:target AS timestamp), NULL, 'replace', 'UTC')")
                .bind("target", java.time.LocalDateTime.ofInstant(target, java.time.ZoneOffset.UTC)).mapTo(Long.class).one());
    }

    /** A moment between two commits, a second from each. */
    private static Instant moment() throws InterruptedException {
        Thread.sleep(1000);
        Instant at = owner.withHandle(handle -> handle.createQuery("SELECT clock_timestamp()").mapTo(OffsetDateTime.class).one()).toInstant();
        Thread.sleep(1000);
        return at;
    }

    private static void addClassroom(String name) {
        owner.useHandle(handle -> handle.createUpdate("""
                INSERT INTO classrooms (facilitator_id, name, classroom_code, grade_level)
                SELECT id, :name, translate(substr(md5(:name), 1, 8), '0123456789abcdef', 'ABCDEFGHJKMNPQRS'), 5 FROM facilitators LIMIT 1""")
                .bind("name", name).execute());
    }

    private static List<String> names() {
        return owner.withHandle(handle -> handle.createQuery("SELECT name FROM classrooms ORDER BY name").mapTo(String.class).list());
    }

    private static Map<String, Object> row(long id) {
        return owner.withHandle(handle -> handle.createQuery("""
                SELECT status, error, steps -> -1 ->> 'step' AS last_step,
                       (SELECT string_agg(s ->> 'step', ',') FROM jsonb_array_elements(steps) s) AS steps
                  FROM recovery_log WHERE id = :id""").bind("id", id).mapToMap().one());
    }

    /** As the superuser: the WAL switch and the settings are the cluster's. */
    private static String one(String sql) {
        return Jdbi.create(server.superuserDataSource(cluster.database().name())).withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
    }
}
