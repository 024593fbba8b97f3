package org.heroesinwaiting.persistence;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>A request that checks its facilitator's session up front ({@link #checkSession}) and then does
 * its work can save a round trip and a second trip to the pool: inside a {@link RequestScope}, the
 * check's transaction stays open, its context set, and the request's first unit of work for that
 * session continues it instead of starting its own. Nothing is cached: the check and the work are
 * one transaction.
 *
 * <pre>{@code
 * try (TransactionRunner.RequestScope request = TransactionRunner.openRequestScope()) {
 *     AuthenticatedFacilitator who = accounts.authenticate(accessToken); // the session checked, its transaction kept
 *     FacilitatorProfile me = accounts.profile(who);                      // the same transaction, then committed
 * }
 * }</pre>
 */
public final class TransactionRunner {

    /** How many times a unit of work is tried, in all, by default. */
    public static final int DEFAULT_ATTEMPTS = 3;

    private static final Set<String> RETRYABLE = Set.of("40001", "40P01"); // serialization_failure, deadlock_detected
    private static final Duration BASE_BACKOFF = Duration.ofMillis(10);

    private final Jdbi jdbi;
    private final int attempts;
    private static final ThreadLocal<RequestScope> SCOPES = new ThreadLocal<>();

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
            Handle held = attempt == 1 ? heldFor(actor, isolation) : null;
            try {
                if (held != null) {
                    return continueHeld(held, work);
                }
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
        releaseHeld();
        try {
            return jdbi.withHandle(call);
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e);
        }
    }

    /**
     * Checks that a facilitator's session is live (neither revoked nor expired) and their account
     * active, in one round trip, and returns the account's role. Outside a {@link RequestScope} it
     * is one statement on its own. Inside one, its transaction is kept, with the context of that
     * session's actor ({@link ActorContext#session}, no request id, no address), for the thread's
     * next unit of work: when that one acts for the same session ({@link #inTransaction}), it
     * continues this transaction; anything else releases it first.
     *
     * @param facilitatorId the facilitator
     * @param sessionId their session
     * @return the account's role: {@code facilitator} or {@code admin}
     * @throws InvalidTokenException when the session has ended or the account is disabled
     */
    public String checkSession(UUID facilitatorId, UUID sessionId) {
        requireNonNull(facilitatorId, "facilitatorId");
        requireNonNull(sessionId, "sessionId");
        RequestScope scope = openScope();
        if (scope == null) {
            return selfContained(handle -> sessionContext(handle, facilitatorId, sessionId, null, null));
        }
        scope.release();
        Handle handle = null;
        try {
            handle = jdbi.open();
            handle.begin();
            String role = sessionContext(handle, facilitatorId, sessionId, null, null);
            scope.hold(new Held(this, handle, facilitatorId, sessionId));
            return role;
        } catch (RuntimeException e) {
            if (handle != null) {
                discard(handle, e);
            }
            throw DatabaseFailures.translate(e);
        }
    }

    /**
     * Opens a request's scope on this thread: until it is closed, a {@link #checkSession} keeps its
     * transaction for the thread's next unit of work, on any runner. Close it on the thread that
     * opened it, in a {@code finally}; a host closes it as soon as the request's work is done
     * (before writing a long answer), so that no connection waits on a slow client.
     *
     * @return the scope
     * @throws IllegalStateException when this thread already has a scope open
     */
    public static RequestScope openRequestScope() {
        if (openScope() != null) {
            throw new IllegalStateException("this thread already has a request scope open; close it first");
        }
        RequestScope scope = new RequestScope(Thread.currentThread());
        SCOPES.set(scope);
        return scope;
    }

    private static RequestScope openScope() {
        RequestScope scope = SCOPES.get();
        if (scope != null && scope.closed) {
            SCOPES.remove();
            return null;
        }
        return scope;
    }

    /**
     * The held transaction, when this runner holds it, the actor is the session it was checked for
     * and nothing asks for another isolation; any other held transaction is released first, so that
     * a thread never holds two connections (of one pool or of two).
     */
    private Handle heldFor(ActorContext actor, TransactionIsolationLevel isolation) {
        RequestScope scope = openScope();
        if (scope == null) {
            return null;
        }
        Held held = scope.take();
        if (held == null) {
            return null;
        }
        if (held.runner == this && isolation == TransactionIsolationLevel.READ_COMMITTED && held.continues(actor)) {
            return held.handle;
        }
        discard(held.handle, null);
        return null;
    }

    private static void releaseHeld() {
        RequestScope scope = openScope();
        if (scope != null) {
            scope.release();
        }
    }

    private static <T> T continueHeld(Handle handle, HandleCallback<T, RuntimeException> work) {
        T result;
        try {
            result = work.withHandle(handle);
            handle.commit();
        } catch (RuntimeException e) {
            discard(handle, e);
            throw e;
        }
        handle.close();
        return result;
    }

    /** Rolls back and returns the connection; a failure doing so joins the one that led here, if any. */
    private static void discard(Handle handle, RuntimeException cause) {
        try (handle) {
            if (handle.isInTransaction()) {
                handle.rollback();
            }
        } catch (RuntimeException e) {
            if (cause == null) {
                throw e;
            }
            cause.addSuppressed(e);
        }
    }

    /** A session-checked transaction, open, waiting for the request's first unit of work. */
    private record Held(TransactionRunner runner, Handle handle, UUID facilitatorId, UUID sessionId) {

        boolean continues(ActorContext actor) {
            return sessionId.equals(actor.facilitatorSessionId()) && facilitatorId.equals(actor.facilitatorId())
                    && actor.requestId() == null && actor.clientIp() == null;
        }
    }

    /**
     * A request's span on one thread, from {@link #openRequestScope}: a session check inside it keeps
     * its transaction for the thread's next unit of work. Closing it rolls back a transaction no
     * unit took (it only set the context) and returns its connection; closing twice, or from another
     * thread, is allowed.
     */
    public static final class RequestScope implements AutoCloseable {

        private final Thread owner;
        private final AtomicReference<Held> held = new AtomicReference<>();
        private volatile boolean closed;

        private RequestScope(Thread owner) {
            this.owner = owner;
        }

        /** @return whether a checked session's transaction is waiting for its work */
        public boolean holdsTransaction() {
            return held.get() != null;
        }

        private void hold(Held transaction) {
            Held previous = held.getAndSet(transaction);
            if (previous != null) {
                discard(previous.handle, null);
            }
            if (closed) { // closed from another thread meanwhile: nothing may outlive the scope
                release();
            }
        }

        private Held take() {
            return held.getAndSet(null);
        }

        private void release() {
            Held previous = held.getAndSet(null);
            if (previous != null) {
                discard(previous.handle, null);
            }
        }

        @Override
        public void close() {
            closed = true;
            release();
            if (Thread.currentThread() == owner && SCOPES.get() == this) {
                SCOPES.remove();
            }
        }
    }

    /**
     * Plain JDBC rather than a Jdbi statement: this runs first in every transaction of every
     * request, and Jdbi's per-statement setup (configuration, argument binding, mapping) was a
     * visible share of an authenticated GET (AuthBench).
     */
    private static void setContext(Handle handle, ActorContext actor) {
        if (actor.facilitatorSessionId() != null) {
            sessionContext(handle, actor.facilitatorId(), actor.facilitatorSessionId(), actor.requestId(), actor.clientIp());
            return;
        }
        try (PreparedStatement statement = handle.getConnection().prepareStatement("SELECT app.set_context(?, ?, ?, ?, CAST(? AS inet))")) {
            statement.setObject(1, actor.facilitatorId(), Types.OTHER);
            statement.setObject(2, actor.studentSessionId(), Types.OTHER);
            statement.setString(3, actor.role().databaseName());
            statement.setString(4, actor.requestId());
            statement.setString(5, address(actor.clientIp()));
            statement.executeQuery().close();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException("setting the actor context failed", e, null);
        }
    }

    /** {@code app.set_session_context}: the session checked and the context set, in one statement; returns the account's role. */
    private static String sessionContext(Handle handle, UUID facilitatorId, UUID sessionId, String requestId, InetAddress clientIp) {
        try (PreparedStatement statement = handle.getConnection().prepareStatement("SELECT app.set_session_context(?, ?, ?, CAST(? AS inet))")) {
            statement.setObject(1, facilitatorId, Types.OTHER);
            statement.setObject(2, sessionId, Types.OTHER);
            statement.setString(3, requestId);
            statement.setString(4, address(clientIp));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        } catch (SQLException e) {
            if (SqlStates.INVALID_AUTHORIZATION.equals(e.getSQLState())) {
                throw new InvalidTokenException("the session has ended", e);
            }
            throw new UnableToExecuteStatementException("setting the actor context failed", e, null);
        }
    }

    private static String address(InetAddress ip) {
        return ip == null ? null : ip.getHostAddress();
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
