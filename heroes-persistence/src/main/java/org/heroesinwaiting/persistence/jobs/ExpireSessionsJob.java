package org.heroesinwaiting.persistence.jobs;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.jdbi.v3.core.JdbiException;

/**
 * Ends student and facilitator sessions whose time is up, through the SQL function
 * {@code app.expire_sessions(as_of)} (SECURITY DEFINER: it sees every tenant). On a schema older
 * than that function it reports that it had nothing to do. It runs as the system actor through
 * {@link TransactionRunner}, so a deadlock with a request is retried.
 */
public final class ExpireSessionsJob implements Job {

    /** The job's name. */
    public static final String NAME = "expire-sessions";

    private final TransactionRunner transactions;

    /**
     * @param dataSource the application login
     */
    public ExpireSessionsJob(DataSource dataSource) {
        this.transactions = new TransactionRunner(HeroesJdbi.create(requireNonNull(dataSource, "dataSource")));
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

    @Override
    public JobOutcome run(Instant asOf) {
        try {
            return transactions.inTransaction(ActorContext.system(null), handle -> {
                boolean present = handle.createQuery("SELECT to_regprocedure('app.expire_sessions(timestamptz)') IS NOT NULL")
                        .mapTo(Boolean.class).one();
                if (!present) {
                    return new JobOutcome("nothing to expire: the session tables do not exist yet");
                }
                List<String> counts = handle.createQuery("SELECT kind, expired FROM app.expire_sessions(:asOf)")
                        .bind("asOf", asOf)
                        .map((rs, ctx) -> rs.getLong("expired") + " " + rs.getString("kind"))
                        .list();
                return new JobOutcome(counts.isEmpty() ? "expired nothing" : "expired " + String.join(", ", counts));
            });
        } catch (JdbiException e) {
            throw new HeroesException("expiring sessions failed: " + e.getMessage(), e);
        }
    }
}
