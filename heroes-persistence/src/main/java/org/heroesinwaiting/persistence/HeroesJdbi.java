package org.heroesinwaiting.persistence;

import static java.util.Objects.requireNonNull;

import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * Creates the Jdbi every Heroes in Waiting DAO runs on. The composition root ({@link Heroes}) makes
 * the one a host uses and hands it out ({@code heroes.jdbi()}); the same plugins are registered for
 * {@code Jdbi.installPlugins()}, so a Jdbi made that way (the testkit's) is configured alike.
 *
 * <pre>{@code
 * Jdbi jdbi = HeroesJdbi.create(PooledDataSources.forApplication(settings));
 * TransactionRunner transactions = new TransactionRunner(jdbi);
 * }</pre>
 */
public final class HeroesJdbi {

    private HeroesJdbi() {
    }

    /**
     * @param dataSource the application login (row level security applies)
     * @return a Jdbi with the SqlObject, Postgres and Heroes plugins
     */
    public static Jdbi create(DataSource dataSource) {
        return Jdbi.create(requireNonNull(dataSource, "dataSource"))
                .installPlugin(new SqlObjectPlugin())
                .installPlugin(new PostgresPlugin())
                .installPlugin(new HeroesJdbiPlugin());
    }
}
