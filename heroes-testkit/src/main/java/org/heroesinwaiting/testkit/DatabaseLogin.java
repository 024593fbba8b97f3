package org.heroesinwaiting.testkit;

/**
 * The logins of a Heroes in Waiting database (DESIGN.md section 3). A test connects as one of them,
 * never as the superuser.
 */
public enum DatabaseLogin {
    /** {@code heroes_owner}: owns every object and bypasses row level security. */
    OWNER("heroes_owner"),
    /** {@code heroes_app}: what the server uses; row level security always applies. */
    APP("heroes_app"),
    /** {@code heroes_readonly}: reporting. */
    READONLY("heroes_readonly"),
    /** {@code heroes_backup}: pg_dump and friends (BYPASSRLS, REPLICATION). */
    BACKUP("heroes_backup"),
    /** {@code heroes_analytics}: the aggregate views only. */
    ANALYTICS("heroes_analytics");

    private final String roleName;

    DatabaseLogin(String roleName) {
        this.roleName = roleName;
    }

    /**
     * @return the PostgreSQL role name, e.g. {@code heroes_app}
     */
    public String roleName() {
        return roleName;
    }
}
