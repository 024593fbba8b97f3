package org.heroesinwaiting.persistence.jobs;

import java.util.List;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.persistence.analytics.AnalyticsRefreshJob;
import org.heroesinwaiting.persistence.analytics.AnalyticsService;

/** The jobs of the persistence module, which the composition root puts in every host's catalog. */
public final class StandardJobs {

    /** Ends sessions past their expiry. */
    public static final String EXPIRE_SESSIONS = "expire-sessions";
    /** Forgets failed joins and old address salts. */
    public static final String PURGE_JOIN_THROTTLE = "purge-join-throttle";

    private StandardJobs() {
    }

    /**
     * @param transactions on the application login
     * @return ends student and facilitator sessions whose time is up ({@code app.expire_sessions}); every 15 minutes
     */
    public static Job expireSessions(TransactionRunner transactions) {
        return SqlFunctionJob.of(EXPIRE_SESSIONS, "Ends student and facilitator sessions past their expiry.", "0 */15 * * * ?",
                "app.expire_sessions", "expired", transactions);
    }

    /**
     * After it runs no stored hash can be linked to an address.
     *
     * @param transactions on the application login
     * @return deletes failed-join counters older than a day and every address salt but today's
     *     ({@code app.purge_join_throttle}); hourly
     */
    public static Job purgeJoinThrottle(TransactionRunner transactions) {
        return SqlFunctionJob.of(PURGE_JOIN_THROTTLE, "Forgets failed student joins after a day, and yesterday's address salt.",
                "0 5 * * * ?", "app.purge_join_throttle", "deleted", transactions);
    }

    /**
     * @param transactions on the application login
     * @return the four, in the order {@code jobs list} shows them
     */
    public static List<Job> all(TransactionRunner transactions) {
        return List.of(expireSessions(transactions), purgeJoinThrottle(transactions), new AuditPartitionsJob(transactions),
                new AnalyticsRefreshJob(new AnalyticsService(transactions)));
    }
}
