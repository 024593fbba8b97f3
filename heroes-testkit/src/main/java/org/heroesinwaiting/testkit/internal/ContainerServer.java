package org.heroesinwaiting.testkit.internal;

import org.heroesinwaiting.testkit.Provider;
import org.heroesinwaiting.testkit.TestkitException;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL 15 in a container, with pg_stat_statements preloaded as in production. */
public final class ContainerServer implements PostgresServer {

    /** The image the DOCKER provider runs. */
    public static final String IMAGE = "postgres:15";

    private final PostgreSQLContainer container;

    private ContainerServer(PostgreSQLContainer container) {
        this.container = container;
    }

    /**
     * @return a started container
     * @throws TestkitException when it cannot start
     */
    public static ContainerServer start() {
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE);
        container.setCommand("postgres", "-c", "fsync=off", "-c", "shared_preload_libraries=pg_stat_statements");
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new TestkitException("could not start the " + IMAGE + " container: " + e.getMessage(), e);
        }
        return new ContainerServer(container);
    }

    @Override
    public Provider provider() {
        return Provider.DOCKER;
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String superuser() {
        return container.getUsername();
    }

    @Override
    public String superuserPassword() {
        return container.getPassword();
    }

    @Override
    public String maintenanceDatabase() {
        return container.getDatabaseName();
    }

    @Override
    public void close() {
        container.stop();
    }

    @Override
    public String toString() {
        return "ContainerServer[" + IMAGE + " " + container.getContainerId() + "]";
    }
}
