package org.heroesinwaiting.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokensTest {

    // the present, not a fixed day: nothing here may work only while a given year lasts
    private static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final JwtKey CURRENT = new JwtKey("2026-11", bytes('a'), true);
    private static final JwtKey OLD = new JwtKey("2026-10", bytes('b'), false);
    private static final UUID FACILITATOR = UUID.fromString("6f1c1d7e-58f4-4c8e-9a65-0f5a8f3f2b11");
    private static final UUID SESSION = UUID.fromString("0b5e8a3c-1d2f-4e6a-9b7c-8d9e0f1a2b3c");

    private static byte[] bytes(char fill) {
        return String.valueOf(fill).repeat(32).getBytes(StandardCharsets.US_ASCII);
    }

    private static AccessTokens tokens(JwtKeyring keyring, Instant now) {
        return new AccessTokens(keyring, "heroes-in-waiting", Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static AccessTokens tokens() {
        return tokens(new JwtKeyring(List.of(CURRENT, OLD)), NOW);
    }

    private static JWTClaimsSet.Builder validClaims() {
        return new JWTClaimsSet.Builder().issuer("heroes-in-waiting").audience("heroes-api").subject(FACILITATOR.toString())
                .claim("sid", SESSION.toString()).claim("role", "facilitator").issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plusSeconds(900))).jwtID(UUID.randomUUID().toString());
    }

    private static String sign(JWTClaimsSet claims, String kid, byte[] secret) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String encode(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A token whose header and payload are exactly this JSON, correctly signed with the current key. */
    private static String raw(String header, String payload) throws Exception {
        String input = encode(header) + "." + encode(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(CURRENT.secret(), "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static final String HEADER = "{\"alg\":\"HS256\",\"kid\":\"2026-11\"}";

    private static String payload(String replaced, String by) {
        long now = NOW.getEpochSecond();
        return ("{\"iss\":\"heroes-in-waiting\",\"aud\":[\"heroes-api\"],\"sub\":\"" + FACILITATOR + "\",\"sid\":\"" + SESSION
                + "\",\"role\":\"facilitator\",\"iat\":" + now + ",\"exp\":" + (now + 900) + ",\"jti\":\"" + UUID.randomUUID() + "\"}")
                .replace(replaced, by);
    }

    private static void refused(String token, String reason) {
        assertThatThrownBy(() -> tokens().verify(token)).isInstanceOf(InvalidTokenException.class).hasMessageContaining(reason);
    }

    @Test
    void anIssuedTokenVerifiesWithEveryClaim() {
        AccessTokens.Issued issued = tokens().issue(FACILITATOR, SESSION, "admin");

        AccessTokenClaims claims = tokens().verify(issued.token());

        assertThat(claims).isEqualTo(issued.claims());
        assertThat(claims.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(claims.role()).isEqualTo("admin");
    }

    @Test
    void theAlgorithmNoneIsRefused() {
        String unsigned = new PlainJWT(validClaims().build()).serialize();

        refused(unsigned, "not a compact JWS of three parts");
    }

    @Test
    void anRs256TokenIsRefusedEvenWithAKnownKeyId() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(CURRENT.kid()).build(), validClaims().build());
        jwt.sign(new RSASSASigner(generator.generateKeyPair().getPrivate()));

        refused(jwt.serialize(), "algorithm \"RS256\" is not accepted");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() throws Exception {
        refused(sign(validClaims().build(), CURRENT.kid(), bytes('z')), "bad signature");
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String token = tokens().issue(FACILITATOR, SESSION, "facilitator").token();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("\"facilitator\"", "\"admin\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];

        refused(forged, "bad signature");
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp", "sid", "sub", "jti", "iat", "role", "aud", "iss"})
    void everyRequiredClaimMustBeThere(String missing) throws Exception {
        JWTClaimsSet claims = validClaims().build();
        JWTClaimsSet.Builder without = new JWTClaimsSet.Builder();
        claims.getClaims().forEach((name, value) -> {
            if (!name.equals(missing)) {
                without.claim(name, value);
            }
        });

        refused(sign(without.build(), CURRENT.kid(), CURRENT.secret()), "claim " + missing + " is missing");
    }

    @Test
    void aFutureNotBeforeIsRefused() throws Exception {
        refused(sign(validClaims().notBeforeTime(Date.from(NOW.plusSeconds(120))).build(), CURRENT.kid(), CURRENT.secret()),
                "not valid yet");
    }

    @Test
    void theWrongAudienceOrIssuerIsRefused() throws Exception {
        refused(sign(validClaims().audience("another-api").build(), CURRENT.kid(), CURRENT.secret()), "wrong audience");
        refused(sign(validClaims().audience(List.of("heroes-api", "another-api")).build(), CURRENT.kid(), CURRENT.secret()),
                "wrong audience");
        refused(sign(validClaims().issuer("someone-else").build(), CURRENT.kid(), CURRENT.secret()), "wrong issuer");
    }

    @Test
    void aTokenExpiresAfterItsLifetimeAndTheClockSkew() {
        String token = tokens().issue(FACILITATOR, SESSION, "facilitator").token();

        AccessTokenClaims withinSkew = tokens(new JwtKeyring(List.of(CURRENT)), NOW.plus(Duration.ofMinutes(15)).plusSeconds(29)).verify(token);
        assertThat(withinSkew.sessionId()).isEqualTo(SESSION);
        assertThatThrownBy(() -> tokens(new JwtKeyring(List.of(CURRENT)), NOW.plus(Duration.ofMinutes(15)).plusSeconds(30)).verify(token))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    }

    @Test
    void aTokenVerifiedBeforeStillExpires() {
        MutableClock clock = new MutableClock(NOW);
        AccessTokens tokens = new AccessTokens(new JwtKeyring(List.of(CURRENT)), "heroes-in-waiting", Duration.ofMinutes(15), clock);
        String token = tokens.issue(FACILITATOR, SESSION, "facilitator").token();
        assertThat(tokens.verify(token).sessionId()).isEqualTo(SESSION);
        assertThat(tokens.verify(token).sessionId()).as("verified again").isEqualTo(SESSION);

        clock.now = NOW.plus(Duration.ofMinutes(16));

        assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidTokenException.class).hasMessageContaining("expired");
    }

    /** A clock a test sets. */
    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-01", "x' OR '1'='1", "../../etc/passwd", ""})
    void anUnknownOrHostileKeyIdIsRefused(String kid) throws Exception {
        refused(sign(validClaims().build(), kid, CURRENT.secret()), "unknown key id");
    }

    @Test
    void keysRotate() throws Exception {
        String signedWithOld = tokens(new JwtKeyring(List.of(new JwtKey(OLD.kid(), OLD.secret(), true))), NOW)
                .issue(FACILITATOR, SESSION, "facilitator").token();

        AccessTokenClaims whileListed = tokens(new JwtKeyring(List.of(CURRENT, OLD)), NOW).verify(signedWithOld);
        assertThat(whileListed.facilitatorId()).isEqualTo(FACILITATOR);
        assertThatThrownBy(() -> tokens(new JwtKeyring(List.of(CURRENT)), NOW).verify(signedWithOld))
                .isInstanceOf(InvalidTokenException.class).hasMessageContaining("unknown key id");
        assertThat(SignedJWT.parse(tokens().issue(FACILITATOR, SESSION, "facilitator").token()).getHeader().getKeyID())
                .as("the active key signs").isEqualTo(CURRENT.kid());
    }

    @Test
    void aHandBuiltTokenOfTheRightShapeVerifies() throws Exception {
        // The control for the tests below: the same builder, nothing wrong, accepted.
        AccessTokenClaims claims = tokens().verify(raw(HEADER, payload("", "")));

        assertThat(claims.facilitatorId()).isEqualTo(FACILITATOR);
        assertThat(claims.sessionId()).isEqualTo(SESSION);
        assertThat(claims.expiresAt()).isEqualTo(NOW.plusSeconds(900));
        assertThat(tokens().verify(raw(HEADER, payload("[\"heroes-api\"]", "\"heroes-api\""))).role())
                .as("an audience given as one string").isEqualTo("facilitator");
    }

    @Test
    void theHeaderIsCheckedBeforeTheSignature() throws Exception {
        refused(raw("{\"alg\":\"HS256\",\"kid\":\"2026-11\",\"crit\":[\"exp\"]}", payload("", "")), "critical header");
        refused(raw("{\"alg\":\"hs256\",\"kid\":\"2026-11\"}", payload("", "")), "algorithm \"hs256\" is not accepted");
        refused(raw("{\"kid\":\"2026-11\"}", payload("", "")), "algorithm null is not accepted");
        refused(raw("{\"alg\":\"HS256\",\"kid\":42}", payload("", "")), "unknown key id");
        refused(raw("{\"alg\":\"HS256\"}", payload("", "")), "unknown key id");
        refused(raw("[\"HS256\"]", payload("", "")), "the header is not a JSON object");
        refused(raw("{\"alg\":", payload("", "")), "the header is not a JSON object");
    }

    @Test
    void onlyThreeUnpaddedBase64UrlPartsAreAToken() throws Exception {
        String token = raw(HEADER, payload("", ""));
        refused(token + ".", "three parts");
        refused(token + ".abc", "three parts");
        refused("." + token.substring(token.indexOf('.')), "three parts");
        refused(token.substring(0, token.lastIndexOf('.') + 1), "three parts");
        refused(token + "=", "unpadded base64url");
        refused(token.replaceFirst("\\.", "+."), "unpadded base64url");
        refused(token.substring(0, token.length() - 1) + "é", "unpadded base64url");
    }

    @Test
    void aSignedPayloadMustBeAnObjectWithClaimsOfTheRightTypes() throws Exception {
        refused(raw(HEADER, "[1,2]"), "the payload is not a JSON object");
        refused(raw(HEADER, "not json"), "the payload is not a JSON object");
        long iat = NOW.getEpochSecond();
        refused(raw(HEADER, payload("\"iat\":" + iat, "\"iat\":\"" + iat + "\"")), "claim iat is not a number");
        refused(raw(HEADER, payload("\"iat\":" + iat, "\"iat\":" + iat + ".5")), "claim iat is not a time in whole seconds");
        refused(raw(HEADER, payload("\"iat\":" + iat, "\"iat\":1e400")), "claim iat is not a time in whole seconds");
        refused(raw(HEADER, payload("\"sid\":\"" + SESSION + "\"", "\"sid\":\"x'; drop table sessions\"")), "claim sid is not a UUID");
        refused(raw(HEADER, payload("\"role\":\"facilitator\"", "\"role\":7")), "claim role is not a string");
        refused(raw(HEADER, payload("\"sub\":\"" + FACILITATOR + "\"", "\"sub\":null")), "claim sub is missing");
        refused(raw(HEADER, payload("[\"heroes-api\"]", "[]")), "wrong audience");
        refused(raw(HEADER, payload("[\"heroes-api\"]", "[42]")), "wrong audience");
    }

    @Test
    void garbageIsRefused() {
        for (String garbage : new String[] {"", "   ", "abc", "a.b.c", "x".repeat(5000)}) {
            refused(garbage, "");
        }
    }

}
