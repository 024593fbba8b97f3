package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.heroesinwaiting.core.auth.InvalidTokenException;
import org.heroesinwaiting.testkit.CountedConnections;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.Owner;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A request scope: the session check's transaction is the request's first unit of work for that
 * session, on one connection; anything else gets it released first; nothing outlives the scope. As
 * heroes_app, whose own sessions it may watch in {@code pg_stat_activity}.
 */
class RequestScopeTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    private CountedConnections borrowed;
    private TransactionRunner transactions;
    private Jdbi watcher;
    private Jdbi owner;
    private AuthenticatedFacilitator who;

    @BeforeEach
    void create(DataSource app, @Owner Jdbi ownerJdbi) {
        borrowed = new CountedConnections(app);
        transactions = new TransactionRunner(HeroesJdbi.create(borrowed.dataSource()));
        watcher = HeroesJdbi.create(app);
        owner = ownerJdbi;
        who = Facilitators.create(owner, "facilitator");
    }

    @Test
    void theSessionCheckAndTheFirstUnitForItAreOneTransactionOnOneConnection() {
        try (TransactionRunner.RequestScope scope = TransactionRunner.openRequestScope()) {
            assertThat(transactions.checkSession(who.facilitatorId(), who.sessionId())).isEqualTo("facilitator");
            assertThat(scope.holdsTransaction()).isTrue();
            OffsetDateTime held = watcher.withHandle(handle -> handle.createQuery("""
                    SELECT xact_start FROM pg_stat_activity
                     WHERE datname = current_database() AND usename = current_user AND state = 'idle in transaction'""")
                    .mapTo(OffsetDateTime.class).one());

            record Seen(UUID facilitator, OffsetDateTime started) {
            }
            Seen seen = transactions.inTransaction(who.actor(), handle -> handle.createQuery(
                    "SELECT app.facilitator_id() AS facilitator, now() AS started").map((row, context) ->
                    new Seen(row.getObject(1, UUID.class), row.getObject(2, OffsetDateTime.class))).one());

            assertThat(seen.facilitator()).isEqualTo(who.facilitatorId());
            assertThat(seen.started()).as("the unit continued the check's transaction").isEqualTo(held);
            assertThat(scope.holdsTransaction()).isFalse();
        }
        assertThat(borrowed.taken()).as("one trip to the pool for the check and the work").isEqualTo(1);
        assertThat(idleInTransaction()).isZero();
    }

    @Test
    void aUnitForAnyoneElseOnAnyRunnerOrAtAnotherIsolationGetsItReleasedFirst() {
        try (TransactionRunner.RequestScope scope = TransactionRunner.openRequestScope()) {
            transactions.checkSession(who.facilitatorId(), who.sessionId());
            long waiting = transactions.inTransaction(ActorContext.system(null), RequestScopeTest::idleInTransaction);
            assertThat(waiting).as("released before the system's unit began").isZero();
            assertThat(scope.holdsTransaction()).isFalse();

            transactions.checkSession(who.facilitatorId(), who.sessionId());
            TransactionRunner another = new TransactionRunner(watcher); // another pool, as a read replica's
            UUID acting = another.inTransaction(who.actor(), handle -> {
                assertThat(idleInTransaction(handle)).as("released before another runner's unit began").isZero();
                return handle.createQuery("SELECT app.facilitator_id()").mapTo(UUID.class).one();
            });
            assertThat(acting).isEqualTo(who.facilitatorId());

            transactions.checkSession(who.facilitatorId(), who.sessionId());
            String role = transactions.inTransaction(who.actor(), TransactionIsolationLevel.SERIALIZABLE, handle -> {
                assertThat(idleInTransaction(handle)).as("a serializable unit starts its own transaction").isZero();
                return handle.createQuery("SELECT app.actor_role()").mapTo(String.class).one();
            });
            assertThat(role).isEqualTo("facilitator");

            transactions.checkSession(who.facilitatorId(), who.sessionId());
            ActorContext traced = ActorContext.session(who.facilitatorId(), who.sessionId(), false, "req-7", null);
            String request = transactions.inTransaction(traced, handle -> handle.createQuery("SELECT app.request_id()").mapTo(String.class).one());
            assertThat(request).as("a context the check did not set is set anew").isEqualTo("req-7");
        }
        assertThat(borrowed.taken()).as("every check, and every unit but the other runner's").isEqualTo(7);
        assertThat(idleInTransaction()).isZero();
    }

    @Test
    void anEndedSessionIsRefusedAndHoldsNothing() {
        owner.useHandle(handle -> handle.createUpdate("UPDATE facilitator_sessions SET revoked_at = now(), revoke_reason = 'logout' WHERE id = :id")
                .bind("id", who.sessionId()).execute());
        try (TransactionRunner.RequestScope scope = TransactionRunner.openRequestScope()) {
            assertThatThrownBy(() -> transactions.checkSession(who.facilitatorId(), who.sessionId()))
                    .isInstanceOf(InvalidTokenException.class);
            assertThat(scope.holdsTransaction()).isFalse();
            assertThat(idleInTransaction()).isZero();
        }
    }

    @Test
    void aFailingUnitRollsTheHeldTransactionBackAndARetryStartsAfresh() {
        try (TransactionRunner.RequestScope scope = TransactionRunner.openRequestScope()) {
            transactions.checkSession(who.facilitatorId(), who.sessionId());
            assertThatThrownBy(() -> transactions.useTransaction(who.actor(), handle -> {
                handle.execute("UPDATE facilitators SET display_name = 'Half Done' WHERE id = app.facilitator_id()");
                handle.execute("SELECT 1 / 0");
            })).isInstanceOf(InvalidValueException.class);
            String name = owner.withHandle(handle -> handle.createQuery("SELECT display_name FROM facilitators WHERE id = :id")
                    .bind("id", who.facilitatorId()).mapTo(String.class).one());
            assertThat(name).as("nothing half-done is left").isEqualTo("Fixture");

            transactions.checkSession(who.facilitatorId(), who.sessionId());
            AtomicInteger attempts = new AtomicInteger();
            UUID acting = transactions.inTransaction(who.actor(), handle -> {
                if (attempts.incrementAndGet() == 1) {
                    handle.execute("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$");
                }
                return handle.createQuery("SELECT app.facilitator_id()").mapTo(UUID.class).one();
            });
            assertThat(attempts).hasValue(2);
            assertThat(acting).as("the retry set the context itself").isEqualTo(who.facilitatorId());
            assertThat(scope.holdsTransaction()).isFalse();
        }
        assertThat(borrowed.taken()).isEqualTo(3);
        assertThat(idleInTransaction()).isZero();
    }

    @Test
    void closingTheScopeReturnsWhatNoUnitTookAndOneScopeIsOpenAtATime() {
        TransactionRunner.RequestScope scope = TransactionRunner.openRequestScope();
        transactions.checkSession(who.facilitatorId(), who.sessionId());
        assertThat(idleInTransaction()).isOne();
        assertThatThrownBy(TransactionRunner::openRequestScope).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has a request scope open");

        scope.close();
        scope.close();

        assertThat(idleInTransaction()).isZero();
        assertThat(scope.holdsTransaction()).isFalse();
        transactions.checkSession(who.facilitatorId(), who.sessionId());
        assertThat(idleInTransaction()).as("outside a scope the check keeps nothing").isZero();
        try (TransactionRunner.RequestScope next = TransactionRunner.openRequestScope()) {
            assertThat(next.holdsTransaction()).isFalse();
        }
    }

    @Test
    void aScopeClosedFromAnotherThreadReturnsTheTransaction() throws Exception {
        TransactionRunner.RequestScope scope = TransactionRunner.openRequestScope();
        try {
            transactions.checkSession(who.facilitatorId(), who.sessionId());
            Thread closer = new Thread(scope::close);
            closer.start();
            closer.join();
            assertThat(idleInTransaction()).isZero();
            transactions.checkSession(who.facilitatorId(), who.sessionId());
            assertThat(idleInTransaction()).as("a closed scope keeps nothing more").isZero();
        } finally {
            scope.close();
        }
        try (TransactionRunner.RequestScope next = TransactionRunner.openRequestScope()) {
            assertThat(next.holdsTransaction()).isFalse();
        }
    }

    private long idleInTransaction() {
        return watcher.withHandle(RequestScopeTest::idleInTransaction);
    }

    /** heroes_app's sessions in this database that wait inside a transaction, the one asking excluded. */
    private static long idleInTransaction(org.jdbi.v3.core.Handle handle) {
        return handle.createQuery("""
                SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND usename = current_user AND state = 'idle in transaction'
                   AND pid <> pg_backend_pid()""").mapTo(Long.class).one();
    }
}
