package org.heroesinwaiting.persistence.analytics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How current the database the analytics are read from is: a primary is always current; a
 * streaming replica ({@code pg_basebackup -R}) is as far behind as the WAL it received and has not
 * replayed yet.
 *
 * @param standby whether it is a standby ({@code pg_is_in_recovery()})
 * @param receiving whether a standby's WAL receiver runs (it streams from its primary); false on a primary
 * @param replayLag a standby's lag: zero when it has replayed all the WAL it received, else the time
 *     since the last transaction it replayed committed on the primary (an upper bound); empty on a
 *     primary, or on a standby that has replayed no transaction yet while WAL waits
 * @param lastReplayed when the last transaction a standby replayed committed on the primary, once it replayed one
 */
public record ReplicationStatus(boolean standby, boolean receiving, Optional<Duration> replayLag, Optional<Instant> lastReplayed) {

    /** Validates. */
    public ReplicationStatus {
        requireNonNull(replayLag, "replayLag");
        requireNonNull(lastReplayed, "lastReplayed");
    }

    /**
     * @param bound the most lag that is still current enough
     * @return whether a standby is further behind than the bound, or behind by an unknown time
     */
    public boolean behind(Duration bound) {
        requireNonNull(bound, "bound");
        return standby && replayLag.map(lag -> lag.compareTo(bound) > 0).orElse(true);
    }
}
