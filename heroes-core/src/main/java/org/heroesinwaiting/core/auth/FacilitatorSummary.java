package org.heroesinwaiting.core.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * An account as an administrator lists it.
 *
 * @param id the account
 * @param email the login
 * @param displayName the name
 * @param role {@code facilitator} or {@code admin}
 * @param isActive whether it may log in
 * @param createdAt when it was created
 * @param lastLoginAt the latest login, or {@code null}
 */
public record FacilitatorSummary(UUID id, String email, String displayName, String role, boolean isActive, Instant createdAt,
        Instant lastLoginAt) {
}
