package org.heroesinwaiting.retention.recovery;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A point-in-time recovery handed over in place of the live cluster: the cluster as it was at the
 * target now runs from the live data directory, and the one it replaced is kept, stopped, until
 * the DBA deletes it.
 *
 * @param recoveryId its row in {@code recovery_log} (carried into the recovered cluster)
 * @param label the physical backup pgBackRest restored from, before replaying WAL to the target
 * @param target the moment it shows
 * @param dataDirectory the live data directory, which the recovered cluster now runs from
 * @param replaced where the cluster it replaced is kept
 * @param login the superuser's login on it, as it runs now
 * @param tableRows each table of the application database with its rows, as recovered
 * @param took how long it took, from request to hand-over
 */
public record InPlaceResult(long recoveryId, String label, Instant target, Path dataDirectory, Path replaced, ClusterLogin login,
        Map<String, Long> tableRows, Duration took) {

    public InPlaceResult {
        requireNonNull(label, "label");
        requireNonNull(target, "target");
        requireNonNull(dataDirectory, "dataDirectory");
        requireNonNull(replaced, "replaced");
        requireNonNull(login, "login");
        tableRows = Map.copyOf(tableRows);
        requireNonNull(took, "took");
    }
}
