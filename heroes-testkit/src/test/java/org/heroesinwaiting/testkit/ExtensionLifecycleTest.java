package org.heroesinwaiting.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs small test classes through the JUnit engine and checks what the extension did with databases. */
class ExtensionLifecycleTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void testsRunningInParallelNeverShareADatabaseAndEachIsDroppedAfterwards(TestDatabase own) throws SQLException {
        ParallelFixture.NAMES.clear();

        EngineExecutionResults results = run(ParallelFixture.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"));

        results.testEvents().assertStatistics(stats -> stats.succeeded(4).failed(0));
        assertThat(ParallelFixture.NAMES).hasSize(4).doesNotHaveDuplicates();
        assertThat(existing(own, List.copyOf(ParallelFixture.NAMES))).isEqualTo("0");
    }

    @Test
    void perClassGivesEveryTestOfTheClassTheSameDatabaseAndDropsItAfterTheClass(TestDatabase own) throws SQLException {
        PerClassFixture.NAMES.clear();

        EngineExecutionResults results = run(PerClassFixture.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertThat(PerClassFixture.NAMES).hasSize(2);
        assertThat(PerClassFixture.NAMES.peek()).isEqualTo(List.copyOf(PerClassFixture.NAMES).get(1));
        assertThat(existing(own, List.copyOf(PerClassFixture.NAMES))).isEqualTo("0");
    }

    @Test
    void perClassInAnInstanceFieldFailsWithAMessageThatSaysWhy() {
        EngineExecutionResults results = run(PerClassInInstanceFieldFixture.class, Map.of());

        results.testEvents().assertStatistics(stats -> stats.failed(1));
        Throwable failure = results.testEvents().failed().stream().findFirst().orElseThrow()
                .getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertThat(failure).isInstanceOf(TestkitException.class).hasMessageContaining("needs the extension in a static field");
    }

    private static EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(configuration)
                .selectors(selectClass(fixture))
                .execute();
    }

    private static String existing(TestDatabase own, List<String> names) throws SQLException {
        String list = String.join("','", names);
        return TestSql.single(own.dataSource(DatabaseLogin.APP),
                "SELECT count(*) FROM pg_database WHERE datname IN ('" + list + "')");
    }

    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelFixture {
        static final Queue<String> NAMES = new ConcurrentLinkedQueue<>();
        /** All four tests hold their databases at the same moment. */
        static final CountDownLatch ALL_STARTED = new CountDownLatch(4);

        @RegisterExtension
        static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

        @Test
        void one(TestDatabase database, @Owner DataSource owner) throws Exception {
            record(database, owner);
        }

        @Test
        void two(TestDatabase database, @Owner DataSource owner) throws Exception {
            record(database, owner);
        }

        @Test
        void three(TestDatabase database, @Owner DataSource owner) throws Exception {
            record(database, owner);
        }

        @Test
        void four(TestDatabase database, @Owner DataSource owner) throws Exception {
            record(database, owner);
        }

        private static void record(TestDatabase database, DataSource owner) throws Exception {
            NAMES.add(database.name());
            // would fail if another test had created it in the same database
            TestSql.execute(owner, "CREATE TABLE mine (id int)");
            ALL_STARTED.countDown();
            assertThat(ALL_STARTED.await(30, TimeUnit.SECONDS)).as("the four tests ran concurrently").isTrue();
        }
    }

    static class PerClassFixture {
        static final Queue<String> NAMES = new ConcurrentLinkedQueue<>();

        @RegisterExtension
        static HeroesDatabaseExtension db = HeroesDatabaseExtension.create().perClass();

        @Test
        void first(TestDatabase database) {
            NAMES.add(database.name());
        }

        @Test
        void second(TestDatabase database) {
            NAMES.add(database.name());
        }
    }

    static class PerClassInInstanceFieldFixture {
        @RegisterExtension
        HeroesDatabaseExtension db = HeroesDatabaseExtension.create().perClass();

        @Test
        void needsADatabase(TestDatabase database) {
            assertThat(database).isNotNull();
        }
    }
}
