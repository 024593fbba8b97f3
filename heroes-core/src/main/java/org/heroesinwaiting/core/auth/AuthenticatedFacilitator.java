package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import java.util.UUID;
import org.heroesinwaiting.core.actor.ActorContext;

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

    /** @return the actor of their transactions, each of which checks the session is still live */
    public ActorContext actor() {
        return ActorContext.session(facilitatorId, sessionId, isAdmin(), null, null);
    }

    /** @return whether they are an administrator */
    public boolean isAdmin() {
        return "admin".equals(role);
    }
}
