package org.heroesinwaiting.persistence;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.heroesinwaiting.core.DatabaseUnavailableException;
import org.heroesinwaiting.core.DuplicateException;
import org.heroesinwaiting.core.HeroesException;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.NotPermittedException;
import org.heroesinwaiting.core.auth.InvalidTokenException;

/**
 * The database's refusals, as the library's exceptions: the one place a SQLSTATE becomes a
 * {@link HeroesException}, so that no caller of the library (the server included) handles Jdbi's or
 * JDBC's exceptions.
 *
 * <table>
 * <caption>SQLSTATE to exception</caption>
 * <tr><th>SQLSTATE</th><th>exception</th></tr>
 * <tr><td>28000 (the session functions: ended or unknown session)</td><td>{@link InvalidTokenException}</td></tr>
 * <tr><td>23505</td><td>{@link DuplicateException}</td></tr>
 * <tr><td>23514, 23502, class 22</td><td>{@link InvalidValueException}</td></tr>
 * <tr><td>42501 (row level security, a missing grant)</td><td>{@link NotPermittedException}</td></tr>
 * <tr><td>class 08, 53300, 57P01 to 57P03, a pool's timeout</td><td>{@link org.heroesinwaiting.core.DatabaseUnavailableException}</td></tr>
 * </table>
 *
 * Anything else is left as it is: a fault of ours, which a host reports as a server error.
 */
final class DatabaseFailures {

    private DatabaseFailures() {
    }

    /**
     * @param failure what a unit of work threw
     * @return the library's exception for it, or itself
     */
    static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof HeroesException) {
            return failure;
        }
        String state = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return new DatabaseUnavailableException(cause);
            }
            if (state == null && cause instanceof SQLException sql && sql.getSQLState() != null) {
                state = sql.getSQLState();
            }
        }
        if (state == null) {
            return failure;
        }
        if (state.equals(SqlStates.INVALID_AUTHORIZATION)) {
            return new InvalidTokenException("the session has ended, expired or never existed", failure);
        }
        if (state.equals(SqlStates.UNIQUE_VIOLATION)) {
            return new DuplicateException(failure);
        }
        if (state.equals("23514") || state.equals("23502") || state.startsWith("22")) {
            return new InvalidValueException(failure);
        }
        if (state.equals(SqlStates.INSUFFICIENT_PRIVILEGE)) {
            return new NotPermittedException(failure);
        }
        if (state.startsWith("08") || state.equals("53300") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return new DatabaseUnavailableException(failure);
        }
        return failure;
    }
}
