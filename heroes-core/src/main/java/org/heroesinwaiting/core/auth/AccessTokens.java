package org.heroesinwaiting.core.auth;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and verifies facilitators' access tokens: HS256 JWTs with {@code iss}, {@code aud},
 * {@code sub}, {@code sid}, {@code role}, {@code iat}, {@code exp}, {@code jti} and a {@code kid}
 * header. Verification accepts HS256 only, requires every one of those claims, allows 30 s of clock
 * skew, and looks the {@code kid} up in the keyring only. (Whether the session is still live is the
 * caller's next check.)
 *
 * <pre>{@code
 * AccessTokens tokens = new AccessTokens(keyring, "heroes-in-waiting", Duration.ofMinutes(15), Clock.systemUTC());
 * String jwt = tokens.issue(facilitatorId, sessionId, "facilitator").token();
 * AccessTokenClaims claims = tokens.verify(jwt); // or InvalidTokenException
 * }</pre>
 */
public final class AccessTokens {

    /** The audience every token names. */
    public static final String AUDIENCE = "heroes-api";
    /** Clock difference tolerated between servers. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private static final String ALGORITHM = JWSAlgorithm.HS256.getName();
    private static final List<String> REQUIRED = List.of("iss", "aud", "sub", "sid", "role", "iat", "exp", "jti");
    /** Tokens already verified; a client sends the same token on every request for 15 minutes. */
    private static final int VERIFIED_CAPACITY = 10_000;

    private final JwtKeyring keyring;
    /** One verifier per key id, built once: verification is on every request's path. */
    private final Map<String, Hs256Verifier> verifiers;
    private final Map<String, AccessTokenClaims> verified = new ConcurrentHashMap<>();
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param keyring the keys
     * @param issuer the {@code iss} claim ({@code HEROES_JWT_ISSUER})
     * @param lifetime how long a token lasts ({@code HEROES_ACCESS_TOKEN_TTL})
     * @param clock what counts as now
     */
    public AccessTokens(JwtKeyring keyring, String issuer, Duration lifetime, Clock clock) {
        this.keyring = requireNonNull(keyring, "keyring");
        Map<String, Hs256Verifier> byKid = new HashMap<>();
        for (JwtKey key : keyring.keys()) {
            byKid.put(key.kid(), new Hs256Verifier(key.secret()));
        }
        this.verifiers = Map.copyOf(byKid);
        this.issuer = requireNonNull(issuer, "issuer");
        this.lifetime = requireNonNull(lifetime, "lifetime");
        this.clock = requireNonNull(clock, "clock");
    }

    /** A signed token and what it says. */
    public record Issued(String token, AccessTokenClaims claims) {
    }

    /**
     * @param facilitatorId the subject
     * @param sessionId the facilitator session
     * @param role {@code facilitator} or {@code admin}
     * @return the signed token
     */
    public Issued issue(UUID facilitatorId, UUID sessionId, String role) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        AccessTokenClaims claims = new AccessTokenClaims(facilitatorId, sessionId, role, UUID.randomUUID(), now, now.plus(lifetime));
        JwtKey key = keyring.activeKey();
        JWTClaimsSet set = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(facilitatorId.toString())
                .claim("sid", sessionId.toString())
                .claim("role", role)
                .issueTime(Date.from(claims.issuedAt()))
                .expirationTime(Date.from(claims.expiresAt()))
                .jwtID(claims.tokenId().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.kid()).build(), set);
        try {
            jwt.sign(new MACSigner(key.secret()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with key " + key.kid(), e);
        }
        return new Issued(jwt.serialize(), claims);
    }

    /**
     * @param token a compact JWT
     * @return its claims
     * @throws InvalidTokenException when anything about it is wrong
     */
    public AccessTokenClaims verify(String token) {
        if (token == null || token.isBlank() || token.length() > 4096) {
            throw new InvalidTokenException("no token, or an oversized one");
        }
        // The whole token (signature included) is the key: a token verified once is the same token.
        // Its times are checked again on every use.
        AccessTokenClaims known = verified.get(token);
        if (known != null) {
            checkTimes(known.issuedAt(), known.expiresAt(), null);
            return known;
        }
        AccessTokenClaims claims = verifyFully(token);
        if (verified.size() >= VERIFIED_CAPACITY) {
            verified.clear(); // crude but bounded: the next requests verify again
        }
        verified.put(token, claims);
        return claims;
    }

    private AccessTokenClaims verifyFully(String token) {
        CompactJws jws = CompactJws.parse(token);
        JsonObject header = jws.header();
        if (!(header.get("alg") instanceof JsonString alg) || !ALGORITHM.equals(alg.getString())) {
            throw new InvalidTokenException("algorithm " + header.get("alg") + " is not accepted");
        }
        if (header.containsKey("crit")) {
            throw new InvalidTokenException("critical header parameters are not accepted");
        }
        Hs256Verifier verifier = header.get("kid") instanceof JsonString kid ? verifiers.get(kid.getString()) : null;
        if (verifier == null) {
            throw new InvalidTokenException("unknown key id");
        }
        if (!verifier.verifies(jws.signingInput(), jws.signature())) {
            throw new InvalidTokenException("bad signature");
        }
        JsonObject claims = jws.payload();
        for (String name : REQUIRED) {
            if (!claims.containsKey(name) || claims.isNull(name)) {
                throw new InvalidTokenException("claim " + name + " is missing");
            }
        }
        if (!issuer.equals(string(claims, "iss"))) {
            throw new InvalidTokenException("wrong issuer");
        }
        if (!audienceIsOurs(claims.get("aud"))) {
            throw new InvalidTokenException("wrong audience");
        }
        Instant issued = seconds(claims, "iat");
        Instant expires = seconds(claims, "exp");
        checkTimes(issued, expires, claims.containsKey("nbf") ? seconds(claims, "nbf") : null);
        return new AccessTokenClaims(uuid(claims, "sub"), uuid(claims, "sid"), string(claims, "role"), uuid(claims, "jti"),
                issued, expires);
    }

    private static boolean audienceIsOurs(JsonValue aud) {
        // RFC 7519 allows a single string or an array; ours names exactly one audience.
        if (aud instanceof JsonString one) {
            return AUDIENCE.equals(one.getString());
        }
        return aud instanceof JsonArray list && list.size() == 1 && list.get(0) instanceof JsonString only
                && AUDIENCE.equals(only.getString());
    }

    private static String string(JsonObject claims, String name) {
        if (claims.get(name) instanceof JsonString value) {
            return value.getString();
        }
        throw new InvalidTokenException("claim " + name + " is not a string");
    }

    private static UUID uuid(JsonObject claims, String name) {
        try {
            return UUID.fromString(string(claims, name));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("claim " + name + " is not a UUID", e);
        }
    }

    /** A NumericDate in whole seconds, as this class issues them. */
    private static Instant seconds(JsonObject claims, String name) {
        if (claims.get(name) instanceof JsonNumber value) {
            try {
                return Instant.ofEpochSecond(value.longValueExact());
            } catch (ArithmeticException | java.time.DateTimeException e) {
                throw new InvalidTokenException("claim " + name + " is not a time in whole seconds", e);
            }
        }
        throw new InvalidTokenException("claim " + name + " is not a number");
    }

    private void checkTimes(Instant issued, Instant expires, Instant notBefore) {
        Instant now = clock.instant();
        if (!now.isBefore(expires.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("expired");
        }
        if (issued.isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("issued in the future");
        }
        if (notBefore != null && notBefore.isAfter(now.plus(CLOCK_SKEW))) {
            throw new InvalidTokenException("not valid yet");
        }
    }
}
