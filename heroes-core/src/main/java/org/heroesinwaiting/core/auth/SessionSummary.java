package org.heroesinwaiting.core.auth;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.UUID;

/**
 * One live session of a facilitator ({@code GET /api/v1/me/sessions}).
 *
 * @param id the session
 * @param deviceInfo what the app said about the device, or {@code null}
 * @param ipAddress where it logged in from, or {@code null}
 * @param createdAt when it logged in
 * @param lastUsedAt when its refresh token was last exchanged
 * @param current whether it is the session asking
 */
public record SessionSummary(UUID id, JsonObject deviceInfo, String ipAddress, Instant createdAt, Instant lastUsedAt, boolean current) {
}
