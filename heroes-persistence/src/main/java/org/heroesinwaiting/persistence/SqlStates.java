package org.heroesinwaiting.persistence;

import java.sql.SQLException;

/** Reading PostgreSQL's SQLSTATE and message out of whatever wrapped them (Jdbi, Hikari). */
public final class SqlStates {

    /** unique_violation */
    public static final String UNIQUE_VIOLATION = "23505";
    /** invalid_authorization_specification: what the session functions raise for an ended session */
    public static final String INVALID_AUTHORIZATION = "28000";
    /** insufficient_privilege: row level security or a missing grant */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** invalid_parameter_value: what the functions raise for a value they do not accept, saying which and why */
    public static final String INVALID_PARAMETER_VALUE = "22023";
    /** object_not_in_prerequisite_state: a row not in the state the call needs (a recovery no longer waiting, say) */
    public static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    /** no_data_found: what a function raises for a row that does not exist */
    public static final String NO_DATA_FOUND = "P0002";

    private SqlStates() {
    }

    /**
     * @param error an exception
     * @param state a SQLSTATE
     * @return whether it, or any of its causes, is an {@link SQLException} with that state
     */
    public static boolean has(Throwable error, String state) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && state.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param error an exception
     * @return the database's own message (its first line, without the driver's {@code ERROR: }),
     *         or the exception's message when no {@link SQLException} is among its causes
     */
    public static String message(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getMessage() != null) {
                return sql.getMessage().replaceFirst("^(ERROR|FATAL): ", "").lines().findFirst().orElse(sql.getMessage());
            }
        }
        return String.valueOf(error.getMessage());
    }
}
