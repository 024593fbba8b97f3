package org.heroesinwaiting.bench.database;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.testkit.DedicatedServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The embedded PostgreSQL 15: a cold start (initdb into a new data directory, then start) against
 * a warm start (start an existing, stopped data directory).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EmbeddedStartBenchmark {

    /** A new server per invocation, closed (stopped, data deleted) outside the measurement. */
    @State(Scope.Thread)
    public static class Cold {
        DedicatedServer server;

        @TearDown(Level.Invocation)
        public void close() {
            server.close();
        }
    }

    /** One server, stopped before each invocation. */
    @State(Scope.Thread)
    public static class Warm {
        DedicatedServer server;

        @Setup(Level.Trial)
        public void create() {
            server = DedicatedServer.start(Map.of());
        }

        @Setup(Level.Invocation)
        public void stop() {
            server.stop();
        }

        @TearDown(Level.Trial)
        public void close() {
            server.close();
        }
    }

    @Benchmark
    public DedicatedServer coldStart(Cold state) {
        state.server = DedicatedServer.start(Map.of());
        return state.server;
    }

    @Benchmark
    public DedicatedServer warmStart(Warm state) {
        state.server.start();
        return state.server;
    }
}
