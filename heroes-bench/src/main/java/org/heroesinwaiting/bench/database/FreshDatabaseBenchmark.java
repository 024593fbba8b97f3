package org.heroesinwaiting.bench.database;

import java.util.concurrent.TimeUnit;
import org.heroesinwaiting.testkit.TestDatabase;
import org.heroesinwaiting.testkit.TestDatabases;
import org.heroesinwaiting.testkit.TestkitSettings;
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
 * A test's fresh database: a copy of the migrated template (what the testkit does) against the
 * baseline of building it as production does (empty database, bootstrap, logins, every migration).
 * Dropping the database happens outside the measurement.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FreshDatabaseBenchmark {

    private TestDatabases databases;
    private TestDatabase last;

    @Setup(Level.Trial)
    public void startServer() {
        databases = TestDatabases.start(TestkitSettings.embedded());
        databases.create().close(); // builds the template once, as the first test of a run does
    }

    @TearDown(Level.Invocation)
    public void dropDatabase() {
        if (last != null) {
            last.close();
            last = null;
        }
    }

    @TearDown(Level.Trial)
    public void stopServer() {
        databases.close();
    }

    @Benchmark
    public TestDatabase copyOfTemplate() {
        last = databases.create();
        return last;
    }

    @Benchmark
    public TestDatabase bootstrapAndMigrate() {
        last = databases.createByMigrating();
        return last;
    }
}
