package org.heroesinwaiting.testkit.internal;

import java.util.Properties;
import org.heroesinwaiting.testkit.Provider;
import org.heroesinwaiting.testkit.TestkitException;
import org.heroesinwaiting.testkit.TestkitSettings;
import org.postgresql.Driver;

/** A server someone else runs; the testkit only creates and drops its own databases there. */
public record ExternalServer(String host, int port, String maintenanceDatabase, String superuser, String superuserPassword)
        implements PostgresServer {

    /**
     * @param settings settings with a URL and a superuser
     * @return the server they describe
     */
    public static ExternalServer of(TestkitSettings settings) {
        Properties parsed = Driver.parseURL(settings.url(), null);
        if (parsed == null) {
            throw new TestkitException("heroes.testkit.url is not a PostgreSQL JDBC URL: " + settings.url());
        }
        String host = parsed.getProperty("PGHOST", "localhost").split(",")[0];
        int port = Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]);
        String database = parsed.getProperty("PGDBNAME", "postgres");
        return new ExternalServer(host, port, database.isEmpty() ? "postgres" : database, settings.user(),
                settings.password());
    }

    @Override
    public Provider provider() {
        return Provider.EXTERNAL;
    }

    @Override
    public void close() {
        // not ours to stop
    }

    @Override
    public String toString() {
        return "ExternalServer[" + host + ":" + port + "/" + maintenanceDatabase + " as " + superuser + "]";
    }
}
