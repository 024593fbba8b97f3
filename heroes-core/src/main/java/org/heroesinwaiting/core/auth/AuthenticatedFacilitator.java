package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.UUID;

/**
 * An adult whose access token verified and whose session is live.
 *
 * @param facilitatorId who
 * @param sessionId through which session
 * @param role {@code facilitator} or {@code admin}
 */
public record AuthenticatedFacilitator(UUID facilitatorId, UUID sessionId, String role) {

    /** Validates. */
    public AuthenticatedFacilitator {
        requireNonNull(facilitatorId, "facilitatorId");
        requireNonNull(sessionId, "sessionId");
        requireNonNull(role, "role");
    }

    /** @return whether they are an administrator */
    public boolean isAdmin() {
        return "admin".equals(role);
    }
}
