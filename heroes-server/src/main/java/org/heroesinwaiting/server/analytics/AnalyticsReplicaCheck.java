package org.heroesinwaiting.server.analytics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import org.heroesinwaiting.persistence.analytics.AnalyticsReader;
import org.heroesinwaiting.persistence.analytics.ReplicationStatus;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthCheck;

/**
 * {@code analytics-replica} in {@code GET /health}, when {@code HEROES_ANALYTICS_DATABASE_URL} names
 * a replica: UP with its replay lag; DEGRADED when it replays further behind its primary than
 * {@code HEROES_ANALYTICS_MAX_REPLAY_LAG} on two readings 0.2 s apart, when it does not stream
 * from the primary, or when it cannot be reached. Never DOWN: the classrooms do not need the
 * analytics.
 *
 * <p>The lag is zero while the replica has replayed all the WAL it received, else the time since
 * the last commit it replayed: on a primary idle for a while, a record that just arrived reads as
 * that idle time until it is replayed, a few milliseconds, hence the second reading.
 */
public final class AnalyticsReplicaCheck implements HealthCheck {

    /** How long after a reading behind the bound the replica is read again, before the check degrades. */
    static final Duration CONFIRMATION = Duration.ofMillis(200);

    private final AnalyticsReader replica;
    private final Duration maxLag;

    /**
     * @param replica the reader on the replica
     * @param maxLag how far behind it may replay
     */
    public AnalyticsReplicaCheck(AnalyticsReader replica, Duration maxLag) {
        this.replica = requireNonNull(replica, "replica");
        this.maxLag = requireNonNull(maxLag, "maxLag");
    }

    @Override
    public String name() {
        return "analytics-replica";
    }

    @Override
    public CheckResult check() {
        ReplicationStatus status;
        try {
            status = replica.replication();
            if (status.behind(maxLag)) {
                // a record that arrived a moment ago on an idle primary reads as the time since the commit before it
                sleep(CONFIRMATION);
                status = replica.replication();
            }
        } catch (RuntimeException e) {
            return CheckResult.degraded("cannot read the analytics replica (HEROES_ANALYTICS_DATABASE_URL): " + e.getMessage());
        }
        if (!status.standby()) {
            return CheckResult.up("HEROES_ANALYTICS_DATABASE_URL is not a standby (pg_is_in_recovery() is false): it is current");
        }
        String asOf = status.lastReplayed().map(at -> "; its last replayed commit is of " + at).orElse("");
        if (!status.receiving()) {
            return CheckResult.degraded("the analytics replica does not stream from its primary (no WAL receiver runs)" + asOf);
        }
        if (status.replayLag().isEmpty()) {
            return CheckResult.degraded("the analytics replica has WAL to replay and has replayed no commit yet");
        }
        Duration lag = status.replayLag().orElseThrow();
        if (status.behind(maxLag)) {
            return CheckResult.degraded("the analytics replica replays " + seconds(lag) + " behind its primary, over " + seconds(maxLag)
                    + " (HEROES_ANALYTICS_MAX_REPLAY_LAG)" + asOf);
        }
        return CheckResult.up("the analytics replica replays " + seconds(lag) + " behind its primary (at most " + seconds(maxLag) + ")");
    }

    private static String seconds(Duration duration) {
        return duration.toMillis() < 1000 ? duration.toMillis() + " ms" : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
