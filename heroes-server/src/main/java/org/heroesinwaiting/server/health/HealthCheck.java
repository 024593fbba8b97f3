package org.heroesinwaiting.server.health;

/**
 * One part of {@code GET /health}. Later features add theirs (backups overdue, retention failing).
 */
public interface HealthCheck {

    /** @return the part's name in the report ({@code database}) */
    String name();

    /**
     * @return how the part is now; a check that throws counts as DOWN
     */
    CheckResult check();
}
