package org.heroesinwaiting.core.auth;

import jakarta.json.JsonObject;
import java.net.InetAddress;

/**
 * Where an adult's request comes from, as recorded with their sessions and login attempts.
 *
 * @param ipAddress the client's address, or {@code null}
 * @param userAgent the {@code User-Agent} header, or {@code null} (cut to 512 characters)
 * @param deviceInfo what the app says about the device, or {@code null}
 * @param requestId the request, or {@code null}
 */
public record ClientInfo(InetAddress ipAddress, String userAgent, JsonObject deviceInfo, String requestId) {

    /** Cuts the user agent to what the database keeps. */
    public ClientInfo {
        if (userAgent != null && userAgent.length() > 512) {
            userAgent = userAgent.substring(0, 512);
        }
    }

    /** @return a client about which nothing is known */
    public static ClientInfo unknown() {
        return new ClientInfo(null, null, null, null);
    }
}
