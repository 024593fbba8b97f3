package org.heroesinwaiting.bench.auth;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.heroesinwaiting.core.auth.PasswordCheck;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Argon2id with OWASP's parameters (m = 19456 KiB, t = 2, p = 1): the cost of one login's check,
 * here, against Bouncy Castle's Argon2id deriving the same bytes (the baseline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PasswordHashBenchmark {

    private static final String PASSWORD = "correct horse battery staple";

    private String stored;
    private final byte[] salt = new byte[16];

    @Setup
    public void hashOnce() {
        stored = PasswordHasher.standard().hash(PASSWORD);
    }

    @Benchmark
    public PasswordCheck verifyAPassword() {
        return PasswordHasher.standard().verify(PASSWORD, stored);
    }

    @Benchmark
    public byte[] bouncyCastleBaseline() {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(PasswordHasher.MEMORY_KIB).withIterations(PasswordHasher.ITERATIONS)
                .withParallelism(PasswordHasher.PARALLELISM).withSalt(salt).build());
        byte[] out = new byte[32];
        generator.generateBytes(PASSWORD.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
