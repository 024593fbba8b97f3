package org.heroesinwaiting.persistence;

import org.assertj.core.api.Condition;

/** Tests match a refusal by its SQLSTATE, which PostgreSQL keeps, never by its message text, which it may reword. */
public final class SqlStateCondition {

    private SqlStateCondition() {
    }

    /**
     * @param state a SQLSTATE ({@code 42501})
     * @return the condition that a throwable, or one of its causes, carries it
     */
    public static Condition<Throwable> sqlState(String state) {
        return new Condition<>(error -> SqlStates.has(error, state), "SQLSTATE %s", state);
    }
}
