package org.heroesinwaiting.persistence;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.core.DatabaseBusyException;
import org.heroesinwaiting.core.InterruptedOperationException;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Runs every unit of work in a transaction that first says who is acting ({@code app.set_context},
 * transaction-local, so nothing leaks to the next user of a pooled connection), and retries the
 * whole unit when PostgreSQL aborts it for a serialization failure or a deadlock.
 *
 * <pre>{@code
 * List<String> names = transactions.inTransaction(actor, handle ->
 *         handle.createQuery("SELECT name FROM classrooms").mapTo(String.class).list());
 * }</pre>
 *
 * <p>The callback may run more than once: keep side effects outside the database out of it. An
 * actor acting through a facilitator session has it checked live by the same call that sets the
 * context; a session that ended fails the transaction with {@link InvalidTokenException}.
 */
public final class TransactionRunner {

    /** How many times a unit of work is tried, in all, by default. */
    public static final int DEFAULT_ATTEMPTS = 3;

    private static final Set<String> RETRYABLE = Set.of("40001", "40P01"); // serialization_failure, deadlock_detected
    private static final Duration BASE_BACKOFF = Duration.ofMillis(10);

    private final Jdbi jdbi;
    private final int attempts;

    /**
     * @param jdbi from {@link HeroesJdbi#create}
     */
    public TransactionRunner(Jdbi jdbi) {
        this(jdbi, DEFAULT_ATTEMPTS);
    }

    /**
     * @param jdbi from {@link HeroesJdbi#create}
     * @param attempts how many times a unit is tried in all (at least 1)
     */
    public TransactionRunner(Jdbi jdbi, int attempts) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
        }
        this.attempts = attempts;
    }

    /**
     * @param actor who is acting
     * @param work the unit of work
     * @param <T> its result
     * @return what the work returned
     */
    public <T> T inTransaction(ActorContext actor, HandleCallback<T, RuntimeException> work) {
        return inTransaction(actor, TransactionIsolationLevel.READ_COMMITTED, work);
    }

    /**
     * @param actor who is acting
     * @param isolation the isolation level
     * @param work the unit of work
     * @param <T> its result
     * @return what the work returned
     * @throws DatabaseBusyException when every attempt hit a serialization failure or deadlock; the
     *     database's other refusals arrive as the core exceptions {@link DatabaseFailures} names
     */
    public <T> T inTransaction(ActorContext actor, TransactionIsolationLevel isolation, HandleCallback<T, RuntimeException> work) {
        requireNonNull(actor, "actor");
        requireNonNull(work, "work");
        RuntimeException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HandleCallback<T, RuntimeException> unit = handle -> {
                    setContext(handle, actor);
                    return work.withHandle(handle);
                };
                // Naming READ COMMITTED (PostgreSQL's default) would cost two SET round trips per transaction.
                return isolation == TransactionIsolationLevel.READ_COMMITTED ? jdbi.inTransaction(unit) : jdbi.inTransaction(isolation, unit);
            } catch (RuntimeException e) {
                if (!isRetryable(e)) {
                    throw DatabaseFailures.translate(e);
                }
                last = e;
                backOff(attempt);
            }
        }
        throw new DatabaseBusyException(attempts, last);
    }

    /**
     * @param actor who is acting
     * @param work the unit of work
     */
    public void useTransaction(ActorContext actor, HandleConsumer<RuntimeException> work) {
        inTransaction(actor, handle -> {
            work.useHandle(handle);
            return null;
        });
    }

    /**
     * Runs one statement in a transaction of its own without setting an actor first: only for a
     * SECURITY DEFINER function that establishes who is acting itself (a student's join, a student
     * token), so that the whole request is one round trip.
     *
     * @param call the statement
     * @param <T> its result
     * @return what it returned
     */
    public <T> T selfContained(HandleCallback<T, RuntimeException> call) {
        requireNonNull(call, "call");
        try {
            return jdbi.withHandle(call);
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e);
        }
    }

    /**
     * Plain JDBC rather than a Jdbi statement: this runs first in every transaction of every
     * request, and Jdbi's per-statement setup (configuration, argument binding, mapping) was a
     * visible share of an authenticated GET (AuthBench).
     */
    private static void setContext(Handle handle, ActorContext actor) {
        String ip = actor.clientIp() == null ? null : actor.clientIp().getHostAddress();
        boolean session = actor.facilitatorSessionId() != null;
        try (PreparedStatement statement = handle.getConnection().prepareStatement(session
                ? "SELECT app.set_session_context(?, ?, ?, CAST(? AS inet))"
                : "SELECT app.set_context(?, ?, ?, ?, CAST(? AS inet))")) {
            int i = 1;
            statement.setObject(i++, actor.facilitatorId(), Types.OTHER);
            if (session) {
                statement.setObject(i++, actor.facilitatorSessionId(), Types.OTHER);
            } else {
                statement.setObject(i++, actor.studentSessionId(), Types.OTHER);
                statement.setString(i++, actor.role().databaseName());
            }
            statement.setString(i++, actor.requestId());
            statement.setString(i, ip);
            statement.executeQuery().close();
        } catch (SQLException e) {
            if (session && SqlStates.INVALID_AUTHORIZATION.equals(e.getSQLState())) {
                throw new InvalidTokenException("the session has ended", e);
            }
            throw new UnableToExecuteStatementException("setting the actor context failed", e, null);
        }
    }

    static boolean isRetryable(Throwable error) {
        return RETRYABLE.stream().anyMatch(state -> SqlStates.has(error, state));
    }


    private static void backOff(int attempt) {
        long millis = BASE_BACKOFF.toMillis() * (1L << (attempt - 1));
        try {
            TimeUnit.MILLISECONDS.sleep(millis + ThreadLocalRandom.current().nextLong(millis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedOperationException("waiting to retry a transaction", e);
        }
    }
}
