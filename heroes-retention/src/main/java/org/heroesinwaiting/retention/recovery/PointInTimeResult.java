package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A point-in-time recovery handed over: the cluster as it was at the target, running on a spare
 * port of localhost from its own data directory, for the DBA to switch to (or to stop and delete:
 * {@link ScratchCluster#close()}).
 *
 * @param recoveryId its row in {@code recovery_log}
 * @param label the physical backup pgBackRest restored from, before replaying WAL to the target
 * @param target the moment it shows
 * @param cluster the recovered cluster, running
 * @param tableRows each table of the application database with its rows, as recovered
 * @param took how long it took, from request to hand-over
 */
public record PointInTimeResult(long recoveryId, String label, Instant target, ScratchCluster cluster, Map<String, Long> tableRows,
        Duration took) {

    public PointInTimeResult {
        requireNonNull(label, "label");
        requireNonNull(target, "target");
        requireNonNull(cluster, "cluster");
        tableRows = Map.copyOf(tableRows);
        requireNonNull(took, "took");
    }
}
