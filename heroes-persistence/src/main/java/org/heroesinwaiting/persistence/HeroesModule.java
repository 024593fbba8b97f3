package org.heroesinwaiting.persistence;

import org.heroesinwaiting.core.jobs.Job;

/**
 * A module that adds its services and jobs to the composition root: {@code heroes-retention} is
 * one. {@link Heroes#create} finds every module on the class path through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.heroesinwaiting.persistence.HeroesModule}), so a host that adds
 * the module's jar gets its ports and jobs without a line of wiring; {@link Heroes#create(HeroesSettings,
 * javax.sql.DataSource, java.time.Clock, java.util.List)} takes an explicit list instead.
 *
 * <pre>{@code
 * public final class RetentionModule implements HeroesModule {
 *     public String name() { return "retention"; }
 *     public void install(Heroes heroes, Contributions into) {
 *         Retention retention = new DatabaseRetention(heroes.transactions());
 *         into.port(Retention.class, retention);
 *         into.job(new RetentionJob(retention));
 *     }
 * }
 * }</pre>
 */
public interface HeroesModule {

    /** @return the module's name, for messages ({@code retention}) */
    String name();

    /**
     * Builds the module's services on the root's parts, which are ready: its Jdbi, transactions,
     * settings, clock and the persistence module's ports.
     *
     * @param heroes the root being built
     * @param into where the module's ports and jobs go
     */
    void install(Heroes heroes, Contributions into);

    /** What a module adds to the root. */
    interface Contributions {

        /**
         * @param type the port's type, which hosts ask for ({@code heroes.port(Retention.class)})
         * @param port its implementation
         * @param <T> the type
         */
        <T> void port(Class<T> type, T port);

        /** @param job a job for the root's catalog (its name unique among all modules') */
        void job(Job job);

        /** @param resource something to close, in reverse order, when the root closes */
        void closeWithRoot(AutoCloseable resource);
    }
}
