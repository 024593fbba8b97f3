package org.heroesinwaiting.bench.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.core.auth.AccessTokenClaims;
import org.heroesinwaiting.core.auth.AccessTokens;
import org.heroesinwaiting.core.auth.JwtKey;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The product's access-token verification against nimbus's bare {@code MACVerifier} on the same
 * token (parse and signature only). The product checks much more the first time it sees a token
 * (HS256 only, the key id, the signature, every claim parsed and checked, the times) and, for the
 * same token again, only its times: {@code productVerifier} is a client's second and later requests
 * (the usual case: one token serves 15 minutes of requests), {@code productVerifierFirstSight}
 * the first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JwtVerificationBenchmark {

    private AccessTokens tokens;
    private JwtKeyring keyring;
    private MACVerifier verifier;
    private String token;

    @Setup
    public void issue() throws JOSEException {
        byte[] secret = "b".repeat(32).getBytes(StandardCharsets.US_ASCII);
        keyring = new JwtKeyring(List.of(new JwtKey("bench", secret, true)));
        tokens = new AccessTokens(keyring, "heroes-in-waiting", Duration.ofMinutes(15), Clock.systemUTC());
        verifier = new MACVerifier(secret);
        token = tokens.issue(UUID.randomUUID(), UUID.randomUUID(), "facilitator").token();
    }

    @Benchmark
    public AccessTokenClaims productVerifier() {
        return tokens.verify(token);
    }

    /** A verifier that has not seen the token yet, built outside the measurement. */
    @State(Scope.Thread)
    public static class FirstSight {
        AccessTokens fresh;
        String token;

        @Setup(org.openjdk.jmh.annotations.Level.Invocation)
        public void create(JwtVerificationBenchmark benchmark) {
            fresh = new AccessTokens(benchmark.keyring, "heroes-in-waiting", Duration.ofMinutes(15), Clock.systemUTC());
            token = benchmark.token;
        }
    }

    @Benchmark
    public AccessTokenClaims productVerifierFirstSight(FirstSight state) {
        return state.fresh.verify(state.token);
    }

    @Benchmark
    public boolean bareMacVerifier() throws ParseException, JOSEException {
        return SignedJWT.parse(token).verify(verifier);
    }
}
