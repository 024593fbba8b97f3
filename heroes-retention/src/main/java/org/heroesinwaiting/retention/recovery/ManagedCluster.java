package org.heroesinwaiting.retention.recovery;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The live cluster, as something an in-place recovery may stop and start again ({@link
 * PointInTimeRecovery#executeInPlace}): the host's own cluster, run by whoever started it (the
 * server's embedded PostgreSQL, {@code pg_ctl}, a test's server). A cluster run by a service
 * manager the program cannot drive is switched to by hand instead: {@link
 * PointInTimeRecovery#execute} leaves the recovered copy running beside it.
 */
public interface ManagedCluster {

    /** @return its data directory ({@code PGDATA}), which the recovered cluster takes over */
    Path dataDirectory();

    /**
     * Stops it cleanly (a fast shutdown: sessions end, a checkpoint is written), and returns once
     * no process of it runs.
     *
     * @throws IOException when it does not stop
     */
    void stop() throws IOException;

    /**
     * Starts it from {@link #dataDirectory()}, with the settings it ran with, and returns once it
     * accepts connections.
     *
     * @return its superuser's login, as it runs now
     * @throws IOException when it does not start
     */
    ClusterLogin start() throws IOException;
}
