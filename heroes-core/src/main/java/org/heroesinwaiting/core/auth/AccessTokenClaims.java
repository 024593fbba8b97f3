package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * What a verified access token says.
 *
 * @param facilitatorId {@code sub}
 * @param sessionId {@code sid}: the facilitator session it belongs to
 * @param role {@code role}: {@code facilitator} or {@code admin}
 * @param tokenId {@code jti}
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 */
public record AccessTokenClaims(UUID facilitatorId, UUID sessionId, String role, UUID tokenId, Instant issuedAt, Instant expiresAt) {

    /** Validates. */
    public AccessTokenClaims {
        requireNonNull(facilitatorId, "facilitatorId");
        requireNonNull(sessionId, "sessionId");
        requireNonNull(role, "role");
        requireNonNull(tokenId, "tokenId");
        requireNonNull(issuedAt, "issuedAt");
        requireNonNull(expiresAt, "expiresAt");
        if (!role.equals("facilitator") && !role.equals("admin")) {
            throw new IllegalArgumentException("role must be facilitator or admin, not " + role);
        }
    }
}
