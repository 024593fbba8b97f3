package org.heroesinwaiting.persistence.jobs;

import javax.sql.DataSource;

/**
 * Ends student and facilitator sessions whose time is up, through the SQL function
 * {@code app.expire_sessions(as_of)} (SECURITY DEFINER: it sees every tenant).
 */
public final class ExpireSessionsJob extends SqlFunctionJob {

    /** The job's name. */
    public static final String NAME = "expire-sessions";

    /**
     * @param dataSource the application login
     */
    public ExpireSessionsJob(DataSource dataSource) {
        super(dataSource, "app.expire_sessions", "expired");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Ends student and facilitator sessions past their expiry.";
    }

    @Override
    public String schedule() {
        return "0 */15 * * * ?";
    }
}
