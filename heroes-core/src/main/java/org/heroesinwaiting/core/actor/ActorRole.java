package org.heroesinwaiting.core.actor;

/** Who is acting in a unit of work, as the database's row level security policies read it. */
public enum ActorRole {
    /** A teacher, on their own classrooms. */
    FACILITATOR("facilitator"),
    /** An administrator: sees every tenant. */
    ADMIN("admin"),
    /** An anonymous student session, on itself. */
    STUDENT("student"),
    /** The server itself (jobs, imports), with no person behind it. */
    SYSTEM("system");

    private final String databaseName;

    ActorRole(String databaseName) {
        this.databaseName = databaseName;
    }

    /** @return the value of {@code app.role} ({@code facilitator}, ...) */
    public String databaseName() {
        return databaseName;
    }
}
