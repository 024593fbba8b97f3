package org.heroesinwaiting.persistence.jobs;

import javax.sql.DataSource;

/**
 * Forgets students' addresses: deletes failed-join counters older than a day and every address
 * salt but today's ({@code app.purge_join_throttle(as_of)}), after which no stored hash can be
 * linked to an address.
 */
public final class PurgeJoinThrottleJob extends SqlFunctionJob {

    /** The job's name. */
    public static final String NAME = "purge-join-throttle";

    /**
     * @param dataSource the application login
     */
    public PurgeJoinThrottleJob(DataSource dataSource) {
        super(dataSource, "app.purge_join_throttle", "deleted");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Forgets failed student joins after a day, and yesterday's address salt.";
    }

    @Override
    public String schedule() {
        return "0 5 * * * ?";
    }
}
