package org.heroesinwaiting.persistence;

import java.sql.SQLException;

/** Reading PostgreSQL's SQLSTATE out of whatever wrapped it (Jdbi, Hikari). */
public final class SqlStates {

    /** unique_violation */
    public static final String UNIQUE_VIOLATION = "23505";
    /** invalid_authorization_specification: what the session functions raise for an ended session */
    public static final String INVALID_AUTHORIZATION = "28000";
    /** insufficient_privilege: row level security or a missing grant */
    public static final String INSUFFICIENT_PRIVILEGE = "42501";

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
}
