package org.heroesinwaiting.testkit.internal;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Plain, unpooled data sources: each test's connections are its own. */
public final class DataSources {

    private DataSources() {
    }

    /**
     * @param host server host
     * @param port server port
     * @param database database name
     * @param user login
     * @param password its password, {@code ""} for none
     * @return a data source for exactly that login and database
     */
    public static DataSource create(String host, int port, String database, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        if (!password.isEmpty()) {
            dataSource.setPassword(password);
        }
        dataSource.setApplicationName("heroes-testkit");
        return dataSource;
    }

    /**
     * @return the JDBC URL of a database
     * @param host server host
     * @param port server port
     * @param database database name
     */
    public static String url(String host, int port, String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
