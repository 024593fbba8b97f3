package org.heroesinwaiting.server.http;

import static org.heroesinwaiting.server.support.HttpAssertions.assertProblem;

import io.javalin.config.RoutesConfig;
import io.javalin.testtools.JavalinTest;
import java.util.Map;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.persistence.TransactionRunner;
import org.heroesinwaiting.server.HeroesServer;
import org.heroesinwaiting.server.support.TestApps;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A value the database refuses that Java validation let through is the client's 400 (or 409 for a
 * duplicate), never a 500; conflicting work that could not be retried to completion is a 503.
 */
class DatabaseRefusalsTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    /** Each route does what the library's storage does: a unit of work through the TransactionRunner. */
    private record Refusals(TransactionRunner owner) implements Controller {
        @Override
        public void routes(RoutesConfig routes) {
            routes.post("/api/v1/test/check", ctx -> work(handle ->
                    handle.execute("INSERT INTO lessons (lesson_number, title) VALUES (13, 'out of range')")), Access.PUBLIC);
            routes.post("/api/v1/test/duplicate", ctx -> work(handle -> {
                handle.execute("INSERT INTO lessons (lesson_number, title) VALUES (2, 'first')");
                handle.execute("INSERT INTO lessons (lesson_number, title) VALUES (2, 'again')");
            }), Access.PUBLIC);
            routes.post("/api/v1/test/type", ctx -> work(handle ->
                    handle.createQuery("SELECT CAST(:text AS uuid)").bind("text", "not-a-uuid").mapTo(String.class).one()), Access.PUBLIC);
            routes.post("/api/v1/test/conflict", ctx -> work(handle ->
                    handle.execute("DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = 'serialization_failure'; END $$")), Access.PUBLIC);
            routes.post("/api/v1/test/rights", ctx -> work(handle ->
                    handle.execute("DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = 'insufficient_privilege'; END $$")), Access.PUBLIC);
        }

        private void work(org.jdbi.v3.core.HandleConsumer<RuntimeException> body) {
            owner.useTransaction(ActorContext.system(null), body);
        }

    }

    @Test
    void databaseRefusalsArePreciseProblems(@Owner Jdbi owner) {
        var app = HeroesServer.builder(TestApps.config(Map.of())).controller(new Refusals(new TransactionRunner(owner, 1))).build();
        JavalinTest.test(app, (server, client) -> {
            assertProblem(client.post("/api/v1/test/check", null), 400, "validation-failed");
            assertProblem(client.post("/api/v1/test/duplicate", null), 409, "conflict");
            assertProblem(client.post("/api/v1/test/type", null), 400, "validation-failed");
            assertProblem(client.post("/api/v1/test/conflict", null), 503, "overloaded");
            assertProblem(client.post("/api/v1/test/rights", null), 403, "forbidden");
        });
    }
}
