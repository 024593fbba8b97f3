package org.heroesinwaiting.server.health;

import static java.util.Objects.requireNonNull;

/**
 * @param status how the part is
 * @param detail one line for an operator
 */
public record CheckResult(HealthStatus status, String detail) {

    /** Validates. */
    public CheckResult {
        requireNonNull(status, "status");
        requireNonNull(detail, "detail");
    }

    /** @param detail what was seen @return an UP result */
    public static CheckResult up(String detail) {
        return new CheckResult(HealthStatus.UP, detail);
    }

    /** @param detail what needs a look @return a DEGRADED result */
    public static CheckResult degraded(String detail) {
        return new CheckResult(HealthStatus.DEGRADED, detail);
    }

    /** @param detail what is broken @return a DOWN result */
    public static CheckResult down(String detail) {
        return new CheckResult(HealthStatus.DOWN, detail);
    }
}
