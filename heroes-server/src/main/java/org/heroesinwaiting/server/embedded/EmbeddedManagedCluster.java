package org.heroesinwaiting.server.embedded;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import org.heroesinwaiting.retention.recovery.ClusterLogin;
import org.heroesinwaiting.retention.recovery.ManagedCluster;

/**
 * The embedded cluster a command started (no {@code serve} runs on the data dir), as the live
 * cluster an in-place recovery stops and starts again from the same directory, with the same
 * settings. Closing it stops the cluster it runs now.
 */
public final class EmbeddedManagedCluster implements ManagedCluster, AutoCloseable {

    private final Path dataDir;
    private final Map<String, String> settings;
    private EmbeddedDatabase database;

    /**
     * @param database the embedded database, started by this process
     * @param dataDir the server's data dir
     * @param settings the settings it was started with
     * @throws IllegalArgumentException when {@code serve} runs it: only its own process may stop it
     */
    public EmbeddedManagedCluster(EmbeddedDatabase database, Path dataDir, Map<String, String> settings) {
        if (!database.ownsCluster()) {
            throw new IllegalArgumentException("the embedded database of " + dataDir + " is run by ./heroes serve");
        }
        this.database = database;
        this.dataDir = requireNonNull(dataDir, "dataDir");
        this.settings = Map.copyOf(settings);
    }

    @Override
    public synchronized Path dataDirectory() {
        return database.clusterDirectory();
    }

    @Override
    public synchronized void stop() {
        database.close();
    }

    @Override
    public synchronized ClusterLogin start() {
        database = EmbeddedDatabase.start(dataDir, settings);
        return new ClusterLogin("localhost", database.port(), "postgres", database.secrets().superuser());
    }

    /** @return the database as it runs now */
    public synchronized EmbeddedDatabase database() {
        return database;
    }

    @Override
    public synchronized void close() {
        database.close();
    }
}
