package org.heroesinwaiting.core.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * What a facilitator sees of their own account ({@code GET /api/v1/me}).
 *
 * @param id the account
 * @param email the login
 * @param displayName the name
 * @param role {@code facilitator} or {@code admin}
 * @param createdAt when it was created
 * @param lastLoginAt the latest login, or {@code null}
 */
public record FacilitatorProfile(UUID id, String email, String displayName, String role, Instant createdAt, Instant lastLoginAt) {
}
