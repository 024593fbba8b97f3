package org.heroesinwaiting.testkit.internal;

import javax.sql.DataSource;
import org.heroesinwaiting.testkit.Provider;

/** A running PostgreSQL the testkit may create databases on, as a superuser. */
public interface PostgresServer extends AutoCloseable {

    /** @return where it came from */
    Provider provider();

    /** @return host name clients connect to */
    String host();

    /** @return TCP port clients connect to */
    int port();

    /** @return a superuser's name */
    String superuser();

    /** @return that superuser's password ({@code ""} when the server trusts local connections) */
    String superuserPassword();

    /** @return a database that always exists, for CREATE and DROP DATABASE */
    String maintenanceDatabase();

    /**
     * @param database a database of this server
     * @return a data source logging in to it as the superuser
     */
    default DataSource superuserDataSource(String database) {
        return DataSources.create(host(), port(), database, superuser(), superuserPassword());
    }

    /** Stops the server if the testkit started it; leaves an external one alone. */
    @Override
    void close();
}
