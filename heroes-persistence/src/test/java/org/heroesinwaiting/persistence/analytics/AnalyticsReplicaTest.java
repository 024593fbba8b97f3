package org.heroesinwaiting.persistence.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.heroesinwaiting.testkit.Replica;
import org.heroesinwaiting.testkit.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Analytics read on a real streaming replica (pg_basebackup -R of the test's server): the refresh
 * writes the rollups on the primary, the views answer on the replica as {@code heroes_analytics},
 * and the reader knows how far behind the replica replays.
 */
class AnalyticsReplicaTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().withReplica();

    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(30);

    @Test
    void theRefreshWritesOnThePrimaryAndTheViewsAnswerOnTheReplicaOnceItHasReplayedIt(
            @Owner Jdbi owner, Jdbi app, TestDatabase database, Replica replica) {
        AnalyticsSqlTest.school(owner);
        DataSource replicaPool = replica.dataSource(database, DatabaseLogin.ANALYTICS);
        AnalyticsReader onPrimary = AnalyticsReader.on(database.dataSource(DatabaseLogin.ANALYTICS));
        replica.awaitReplay();

        // docs/library.md's example
        AnalyticsReader analytics = AnalyticsReader.on(replicaPool);
        AnalyticsTable completion = analytics.read(AnalyticsView.LESSON_COMPLETION, AnalyticsFilter.ALL);
        ReplicationStatus current = analytics.replication();

        assertThat(completion.rows()).as("nothing refreshed yet").isEmpty();
        assertThat(current.standby()).isTrue();
        assertThat(current.receiving()).isTrue();
        assertThat(current.replayLag()).contains(Duration.ZERO);
        assertThat(current.lastReplayed()).isPresent();
        assertThat(current.behind(Duration.ZERO)).isFalse();

        replica.pauseReplay();
        new AnalyticsService(new TransactionRunner(app)).refresh();
        ReplicationStatus paused = awaitReceipt(analytics);

        assertThat(paused.replayLag()).hasValueSatisfying(lag -> assertThat(lag).isPositive());
        assertThat(paused.behind(Duration.ZERO)).isTrue();
        assertThat(paused.behind(Duration.ofDays(1))).isFalse();
        assertThat(analytics.read(AnalyticsView.LESSON_COMPLETION, AnalyticsFilter.ALL).rows())
                .as("the replica has not replayed the refresh").isEmpty();
        AnalyticsTable primaryCompletion = onPrimary.read(AnalyticsView.LESSON_COMPLETION, AnalyticsFilter.ALL);
        assertThat(primaryCompletion.rows()).isNotEmpty();

        replica.resumeReplay();
        replica.awaitReplay();

        for (AnalyticsView view : AnalyticsView.values()) {
            assertThat(analytics.read(view, AnalyticsFilter.ALL)).as(view.wireName()).isEqualTo(onPrimary.read(view, AnalyticsFilter.ALL));
        }
        assertThat(analytics.replication().replayLag()).contains(Duration.ZERO);
        assertThatThrownBy(() -> new AnalyticsService(new TransactionRunner(replica.jdbi(database, DatabaseLogin.APP))).refresh())
                .as("the rollups are written on the primary only").hasMessageContaining("read-only transaction");
    }

    @Test
    void onThePrimaryTheReaderIsCurrentByDefinition(TestDatabase database) {
        ReplicationStatus status = AnalyticsReader.on(database.dataSource(DatabaseLogin.ANALYTICS)).replication();

        assertThat(status).isEqualTo(new ReplicationStatus(false, false, Optional.empty(), Optional.empty()));
        assertThat(status.behind(Duration.ZERO)).isFalse();
    }

    /** Waits until the paused replica has received WAL it has not replayed: its lag is then above zero. */
    private static ReplicationStatus awaitReceipt(AnalyticsReader analytics) {
        long deadline = System.nanoTime() + RECEIPT_WAIT.toNanos();
        while (true) {
            ReplicationStatus status = analytics.replication();
            if (status.replayLag().map(lag -> !lag.isZero()).orElse(true) || System.nanoTime() > deadline) {
                return status;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
