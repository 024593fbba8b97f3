package org.heroesinwaiting.core.audit;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.heroesinwaiting.core.InputChecks;
import org.heroesinwaiting.core.InvalidInputException;

/**
 * Something that needs a human: a lockout, a reused refresh token, a guessing run.
 *
 * @param id the incident
 * @param incidentType e.g. {@code failed_login}
 * @param severity {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param description one sentence
 * @param ipAddress where it came from, or {@code null}
 * @param facilitatorId the account concerned, or {@code null}
 * @param details more, as JSON
 * @param status {@code open}, {@code acknowledged} or {@code resolved}
 * @param createdAt when it happened
 * @param resolvedAt when it was resolved, or {@code null}
 */
public record SecurityIncident(UUID id, String incidentType, String severity, String description, String ipAddress, UUID facilitatorId,
        JsonObject details, String status, Instant createdAt, Instant resolvedAt) {

    /** The statuses an incident moves through. */
    public static final List<String> STATUSES = List.of("open", "acknowledged", "resolved");

    /**
     * The rule of an incident's status, for every place that takes one (a filter, a change).
     *
     * @param status as given
     * @return it
     * @throws InvalidInputException when it is missing or not one of {@link #STATUSES}
     */
    public static String validStatus(String status) {
        InputChecks checks = new InputChecks();
        if (checks.require("status", status)) {
            checks.check(STATUSES.contains(status), "status", "must be open, acknowledged or resolved");
        }
        checks.throwIfAny();
        return status;
    }
}
