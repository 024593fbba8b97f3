package org.heroesinwaiting.persistence.jobs;

import static java.util.Objects.requireNonNull;

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
 * A job that is one call of a SECURITY DEFINER SQL function {@code f(as_of timestamptz DEFAULT now())}, called
 * without its argument so that the database's clock decides what is due, returning
 * {@code (kind text, <count> bigint)} rows, run as the system actor through
 * {@link TransactionRunner} (so a deadlock with a request is retried). On a schema older than the
 * function it reports that it had nothing to do.
 */
abstract class SqlFunctionJob implements Job {

    private final TransactionRunner transactions;
    private final String function;
    private final String verb;

    /**
     * @param dataSource the application login
     * @param function the function's name, {@code app.expire_sessions}
     * @param verb what the outcome says was done, {@code expired}
     */
    SqlFunctionJob(DataSource dataSource, String function, String verb) {
        this.transactions = new TransactionRunner(HeroesJdbi.create(requireNonNull(dataSource, "dataSource")));
        this.function = requireNonNull(function, "function");
        this.verb = requireNonNull(verb, "verb");
    }

    @Override
    public final JobOutcome run() {
        try {
            return transactions.inTransaction(ActorContext.system(null), handle -> {
                boolean present = handle.createQuery("SELECT to_regprocedure(:signature) IS NOT NULL")
                        .bind("signature", function + "(timestamptz)").mapTo(Boolean.class).one();
                if (!present) {
                    return new JobOutcome("nothing to do: " + function + " does not exist yet");
                }
                List<String> counts = handle.createQuery("SELECT * FROM " + function + "()")
                        .map((rs, ctx) -> rs.getLong(2) + " " + rs.getString(1))
                        .list();
                return new JobOutcome(counts.isEmpty() ? verb + " nothing" : verb + " " + String.join(", ", counts));
            });
        } catch (JdbiException e) {
            throw new HeroesException(name() + " failed: " + e.getMessage(), e);
        }
    }
}
