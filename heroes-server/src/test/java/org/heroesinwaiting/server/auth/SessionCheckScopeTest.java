package org.heroesinwaiting.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.heroesinwaiting.server.support.HttpAssertions.json;

import io.javalin.testtools.HttpClient;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Map;
import javax.sql.DataSource;
import org.heroesinwaiting.persistence.Heroes;
import org.heroesinwaiting.persistence.HeroesJdbi;
import org.heroesinwaiting.server.support.AuthApps;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.server.support.TestHeroes;
import org.heroesinwaiting.testkit.CountedConnections;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A facilitator's GET goes to the pool once: the guard's session check and the handler's first
 * transaction are one. Whatever the request does after the check (nothing from the database, a
 * refusal, a failure), no connection is left waiting inside a transaction once the answer is out.
 */
class SessionCheckScopeTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private CountedConnections borrowed;
    private Heroes heroes;
    private Jdbi watcher;

    @BeforeEach
    void create(DataSource app) {
        borrowed = new CountedConnections(app);
        heroes = TestHeroes.on(borrowed.dataSource());
        watcher = HeroesJdbi.create(app);
    }

    @AfterEach
    void close() {
        heroes.close();
    }

    @Test
    void aFacilitatorsGetIsOneTripToThePool() {
        String token = AuthApps.tokenOf(heroes.accounts(), "dana@school.example", "facilitator");
        JavalinTest.test(TestApps.production(heroes), (server, client) -> {
            borrowed.reset();
            Response me = get(client, "/api/v1/me", token);
            assertThat(me.code()).isEqualTo(200);
            assertThat(json(me).get("email").asText()).isEqualTo("dana@school.example");
            assertThat(borrowed.taken()).as("the session check and the profile, one transaction").isEqualTo(1);

            borrowed.reset();
            assertThat(client.request("/api/v1/auth/logout", request -> request.post(BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + token)).code()).isEqualTo(204);
            assertThat(borrowed.taken()).as("a POST checks the session on its own").isEqualTo(2);
            assertThat(get(client, "/api/v1/me", token).code()).as("the revoked session is refused at once").isEqualTo(401);
            assertThat(idleInTransaction()).isZero();
        });
    }

    @Test
    void aGetThatNeedsNoTransactionOrStopsBeforeOneLeavesNothingOpen() {
        String token = AuthApps.tokenOf(heroes.accounts(), "eli@school.example", "facilitator");
        JavalinTest.test(TestApps.production(heroes), (server, client) -> {
            borrowed.reset();
            assertThat(get(client, "/api/v1/lessons", token).code()).as("answered from the cache").isEqualTo(200);
            assertThat(borrowed.rollbacks()).as("a route students may call too keeps no transaction to throw away").isZero();
            assertThat(idleInTransaction()).isZero();
            borrowed.reset();
            assertThat(get(client, "/api/v1/admin/facilitators", token).code()).as("no admin").isEqualTo(403);
            assertThat(borrowed.rollbacks()).as("the refused request's held transaction, thrown away").isOne();
            assertThat(idleInTransaction()).isZero();
            assertThat(get(client, "/api/v1/classrooms/not-a-classroom", token).code()).isEqualTo(404);
            assertThat(idleInTransaction()).isZero();
            assertThat(get(client, "/api/v1/classrooms", token).code()).isEqualTo(200);
            assertThat(idleInTransaction()).isZero();
        });
    }

    private static Response get(HttpClient client, String path, String token) {
        return client.get(path, request -> request.header("Authorization", "Bearer " + token));
    }

    /** heroes_app's sessions in this database that wait inside a transaction. */
    private long idleInTransaction() {
        return watcher.withHandle(handle -> handle.createQuery("""
                SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND usename = current_user AND state = 'idle in transaction'
                   AND pid <> pg_backend_pid()""").mapTo(Long.class).one());
    }
}
