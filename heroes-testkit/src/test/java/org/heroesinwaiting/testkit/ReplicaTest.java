package org.heroesinwaiting.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code withReplica()}: a real hot standby made with pg_basebackup -R, streaming the test's database. */
class ReplicaTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().withReplica();

    @Test
    void whatThePrimaryCommitsIsReadOnTheReplicaAfterItsReplayAndTheReplicaRefusesWrites(
            TestDatabase database, Replica replica, DedicatedServer primary, @Owner DataSource owner) throws SQLException {
        DataSource onReplica = replica.dataSource(database, DatabaseLogin.OWNER);
        assertThat(replica.port()).isNotEqualTo(primary.port());
        assertThat(TestSql.single(onReplica, "SELECT pg_is_in_recovery()")).isEqualTo("t");
        assertThat(TestSql.single(onReplica, "SELECT inet_server_port()")).isEqualTo(Integer.toString(replica.port()));
        assertThat(replica.jdbcUrl(database)).isEqualTo("jdbc:postgresql://localhost:" + replica.port() + "/" + database.name());

        TestSql.execute(owner, "UPDATE analytics_settings SET k_anonymity = 7");
        replica.awaitReplay();

        assertThat(TestSql.single(onReplica, "SELECT k_anonymity FROM analytics_settings")).isEqualTo("7");
        assertThat(TestSql.single(replica.dataSource(database, DatabaseLogin.ANALYTICS), "SELECT current_user"))
                .as("the logins and their passwords came with the copy").isEqualTo("heroes_analytics");
        assertThatThrownBy(() -> TestSql.execute(onReplica, "UPDATE analytics_settings SET k_anonymity = 8"))
                .isInstanceOf(SQLException.class).hasMessageContaining("read-only transaction");
    }

    @Test
    void aPausedReplayHidesNewCommitsUntilItResumes(TestDatabase database, Replica replica, @Owner DataSource owner)
            throws SQLException {
        DataSource onReplica = replica.dataSource(database, DatabaseLogin.OWNER);
        replica.awaitReplay();

        replica.pauseReplay();
        TestSql.execute(owner, "UPDATE analytics_settings SET k_anonymity = 9");
        assertThatThrownBy(() -> replica.awaitReplay(Duration.ofMillis(300))).isInstanceOf(TestkitException.class).hasMessageContaining("replayed up to");
        assertThat(TestSql.single(onReplica, "SELECT k_anonymity FROM analytics_settings")).isEqualTo("5");

        replica.resumeReplay();
        replica.awaitReplay();
        assertThat(TestSql.single(onReplica, "SELECT k_anonymity FROM analytics_settings")).isEqualTo("9");
    }

    @Test
    void closingTheReplicaDeletesItsDataAndLeavesThePrimaryRunning(DedicatedServer primary, @Owner DataSource owner)
            throws SQLException {
        Replica second = primary.startReplica();
        assertThat(second.dataDirectory().resolve("standby.signal")).exists();

        second.close();

        assertThat(Files.exists(second.dataDirectory())).isFalse();
        assertThat(TestSql.single(owner, "SELECT pg_is_in_recovery()")).isEqualTo("f");
    }
}
