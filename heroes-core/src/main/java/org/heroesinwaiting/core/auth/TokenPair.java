package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a login or a refresh answers.
 *
 * @param accessToken the JWT for {@code Authorization: Bearer}
 * @param expiresIn how long the access token lasts
 * @param refreshToken the opaque, single-use refresh token
 */
public record TokenPair(String accessToken, Duration expiresIn, String refreshToken) {

    /** Validates. */
    public TokenPair {
        requireNonNull(accessToken, "accessToken");
        requireNonNull(expiresIn, "expiresIn");
        requireNonNull(refreshToken, "refreshToken");
    }

    /** Never prints a token. */
    @Override
    public String toString() {
        return "TokenPair[expiresIn=" + expiresIn + "]";
    }
}
