package org.heroesinwaiting.bench.auth;

import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.core.auth.PasswordCheck;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Argon2id with OWASP's parameters (m = 19456 KiB, t = 2, p = 1): the cost of one login's check, here. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PasswordHashBenchmark {

    private String stored;

    @Setup
    public void hashOnce() {
        stored = PasswordHasher.standard().hash("correct horse battery staple");
    }

    @Benchmark
    public PasswordCheck verifyAPassword() {
        return PasswordHasher.standard().verify("correct horse battery staple", stored);
    }
}
