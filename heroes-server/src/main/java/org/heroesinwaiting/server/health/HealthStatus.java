package org.heroesinwaiting.server.health;

/** How well a part of the server works; the worst part sets the whole. */
public enum HealthStatus {
    /** Works. */
    UP,
    /** Works, but something needs a look (a job failed, a backup is late). */
    DEGRADED,
    /** Does not work: {@code GET /health} answers 503. */
    DOWN;

    /**
     * @param other another status
     * @return the worse of the two
     */
    public HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
