package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.ClientInfo;
import org.heroesinwaiting.core.auth.JwtKey;
import org.heroesinwaiting.core.auth.JwtKeyring;
import org.heroesinwaiting.core.auth.NewFacilitator;
import org.heroesinwaiting.core.auth.PasswordHasher;
import org.heroesinwaiting.core.auth.TokenPair;
import org.heroesinwaiting.core.classroom.Classroom;
import org.heroesinwaiting.core.classroom.Demographics;
import org.heroesinwaiting.core.classroom.JoinedStudent;
import org.heroesinwaiting.core.classroom.NewClassroom;
import org.heroesinwaiting.core.jobs.Job;
import org.heroesinwaiting.core.jobs.JobOutcome;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The composition root: one call builds every port on one Jdbi; modules add ports and jobs; the pool guards RLS. */
class HeroesTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private static final JwtKeyring KEYRING = new JwtKeyring(List.of(new JwtKey("k", "k".repeat(32).getBytes(StandardCharsets.US_ASCII), true)));

    private static HeroesSettings settings() {
        return HeroesSettings.of(KEYRING).withHashing(1, 4).withPasswordHasher(new PasswordHasher(1024, 1, 1));
    }

    @Test
    void oneCallBuildsALibraryThatRegistersTeachesAndJoins(TestDatabase database) {
        try (HikariDataSource pool = PooledDataSources.forApplication(DatabaseSettings.of(database.jdbcUrl(), "heroes_app",
                database.password(DatabaseLogin.APP)).withPoolSize(2));
                Heroes heroes = Heroes.create(settings(), pool, Clock.systemUTC(), List.of())) {
            heroes.accounts().register(new NewFacilitator("rivera@school.example", "correct horse battery staple", "Ms Rivera",
                    "facilitator"), ClientInfo.unknown());
            TokenPair tokens = heroes.accounts().login("rivera@school.example", "correct horse battery staple", ClientInfo.unknown());
            AuthenticatedFacilitator rivera = heroes.accounts().authenticate(tokens.accessToken());
            Classroom room = heroes.classrooms().create(rivera, new NewClassroom("Room 4", 4, 30));
            JoinedStudent student = heroes.students().join(room.classroomCode(), new Demographics("10-11", 4), null, "test");

            assertThat(heroes.students().authenticate(student.token(), "test").classroomId()).isEqualTo(room.id());
            assertThat(heroes.jobs().names()).containsExactly("expire-sessions", "purge-join-throttle", "audit-partitions", "analytics-refresh");
            assertThat(heroes.jobs().find("expire-sessions").orElseThrow().run().counts())
                    .containsEntry("student sessions", 0L).containsEntry("facilitator sessions", 0L);
        }
    }

    @Test
    void aModuleAddsItsPortsAndJobsAndClosesWithTheRoot(javax.sql.DataSource app) {
        List<String> closed = new ArrayList<>();
        HeroesModule module = new HeroesModule() {
            @Override
            public String name() {
                return "greetings";
            }

            @Override
            public void install(Heroes heroes, Contributions into) {
                assertThat(heroes.accounts()).as("the persistence ports are ready for a module").isNotNull();
                into.port(CharSequence.class, "hello");
                into.job(new Named("greet"));
                into.closeWithRoot(() -> closed.add("greetings"));
            }
        };
        Heroes heroes = Heroes.create(settings(), app, Clock.systemUTC(), List.of(module));

        assertThat(heroes.port(CharSequence.class)).isEqualTo("hello");
        assertThat(heroes.modules()).containsExactly("greetings");
        assertThat(heroes.jobs().names()).endsWith("greet");
        assertThatThrownBy(() -> heroes.port(Runnable.class)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no module offers java.lang.Runnable").hasMessageContaining("[greetings]");
        heroes.close();
        heroes.close();
        assertThat(closed).containsExactly("greetings");
    }

    @Test
    void twoModulesCannotOfferOnePortOrOneJobName(javax.sql.DataSource app) {
        HeroesModule first = module("first", into -> into.port(CharSequence.class, "a"));
        HeroesModule second = module("second", into -> into.port(CharSequence.class, "b"));
        assertThatThrownBy(() -> Heroes.create(settings(), app, Clock.systemUTC(), List.of(first, second)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("second: a module already offers java.lang.CharSequence");

        HeroesModule clash = module("clash", into -> into.job(new Named("expire-sessions")));
        assertThatThrownBy(() -> Heroes.create(settings(), app, Clock.systemUTC(), List.of(clash)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("two jobs are named expire-sessions");
    }

    @Test
    void theApplicationPoolRefusesALoginThatBypassesRowLevelSecurity(TestDatabase database) throws SQLException {
        DatabaseSettings owner = DatabaseSettings.of(database.jdbcUrl(), "heroes_owner", database.password(DatabaseLogin.OWNER))
                .withPoolSize(1);
        try (HikariDataSource refused = PooledDataSources.forApplication(owner)) {
            refused.setConnectionTimeout(500);
            assertThatThrownBy(refused::getConnection).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(SqlStates.has(e, "42501")).as("SQLSTATE 42501 in %s", e).isTrue())
                    .rootCause().hasMessageContaining("refusing to serve as heroes_owner: it is a superuser or a BYPASSRLS role");
        }
        try (HikariDataSource backupPool = PooledDataSources.create(owner); Connection connection = backupPool.getConnection()) {
            assertThat(connection.isValid(1)).as("another login's pool does not apply the guard").isTrue();
        }
    }

    /** A row the record mapper and the jsonb mapper of {@code HeroesJdbiPlugin} read. */
    record Note(String name, jakarta.json.JsonObject data) {
    }

    @Test
    void theTestkitsJdbiIsConfiguredAsTheLibrarysOwn(TestDatabase database) {
        org.jdbi.v3.core.Jdbi testkit = database.jdbi(DatabaseLogin.OWNER);

        Note note = testkit.withHandle(handle -> handle.createQuery("SELECT 'x' AS name, '{\"a\": 1}'::jsonb AS data")
                .mapTo(Note.class).one());

        assertThat(note.data().getInt("a")).as("jsonb read as jakarta.json, a record by its constructor").isEqualTo(1);
        assertThat(note.name()).isEqualTo("x");
    }

    private static HeroesModule module(String name, java.util.function.Consumer<HeroesModule.Contributions> body) {
        return new HeroesModule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void install(Heroes heroes, Contributions into) {
                body.accept(into);
            }
        };
    }

    private record Named(String name) implements Job {
        @Override
        public String description() {
            return "a job of a module";
        }

        @Override
        public String schedule() {
            return "0 0 5 * * ?";
        }

        @Override
        public JobOutcome run() {
            return JobOutcome.of("ran " + UUID.randomUUID());
        }
    }
}
