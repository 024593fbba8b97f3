package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.heroesinwaiting.persistence.SqlStateCondition.sqlState;

import java.net.InetAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.heroesinwaiting.core.InvalidValueException;
import org.heroesinwaiting.core.actor.ActorContext;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TransactionRunnerTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void theContextIsSetForTheTransactionAndGoneAfterIt(DataSource app) throws Exception {
        Jdbi jdbi = HeroesJdbi.create(app);
        TransactionRunner transactions = new TransactionRunner(jdbi);
        UUID facilitator = UUID.randomUUID();

        Map<String, Object> inside = transactions.inTransaction(
                ActorContext.facilitator(facilitator, "req-1", InetAddress.getByName("2001:db8::7")),
                handle -> handle.createQuery("SELECT app.facilitator_id()::text AS f, app.actor_role() AS r, "
                        + "app.request_id() AS q, host(app.client_ip()) AS ip").mapToMap().one());

        assertThat(inside).containsEntry("f", facilitator.toString()).containsEntry("r", "facilitator")
                .containsEntry("q", "req-1").containsEntry("ip", "2001:db8::7");
        try (var handle = jdbi.open()) {
            handle.inTransaction(h -> h.createQuery("SELECT app.set_context(NULL, NULL, 'system', 'x', NULL)").mapTo(String.class).findOne());
            assertThat(handle.createQuery("SELECT coalesce(app.actor_role(), 'none')").mapTo(String.class).one()).isEqualTo("none");
        }
    }

    @Test
    void aSerializationFailureIsRetriedAndTheWorkCompletes(DataSource app) {
        TransactionRunner transactions = Fixtures.transactions(app);
        AtomicInteger attempts = new AtomicInteger();

        String result = transactions.inTransaction(ActorContext.system("retry"), handle -> {
            if (attempts.incrementAndGet() < 3) {
                handle.execute("DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$");
            }
            return handle.createQuery("SELECT app.request_id()").mapTo(String.class).one();
        });

        assertThat(attempts).hasValue(3);
        assertThat(result).isEqualTo("retry");
    }

    @Test
    void aDeadlockIsRetriedButOnlyABoundedNumberOfTimes(DataSource app) {
        TransactionRunner transactions = new TransactionRunner(HeroesJdbi.create(app), 2);
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> transactions.useTransaction(ActorContext.system(null), handle -> {
            attempts.incrementAndGet();
            handle.execute("DO $$ BEGIN RAISE EXCEPTION 'deadlock' USING ERRCODE = 'deadlock_detected'; END $$");
        })).isInstanceOf(org.heroesinwaiting.core.DatabaseBusyException.class).hasMessageContaining("after 2 attempts");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void otherFailuresAreNotRetriedAndRollBack(DataSource app, org.heroesinwaiting.testkit.TestDatabase database) {
        TransactionRunner transactions = Fixtures.transactions(app);
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> transactions.useTransaction(ActorContext.system(null), handle -> {
            attempts.incrementAndGet();
            handle.execute("INSERT INTO job_runs (job_name, trigger, instance, started_at, outcome) VALUES ('half-done', 'command', 'x', now(), 'running')");
            handle.execute("SELECT 1 / 0");
        })).isInstanceOf(InvalidValueException.class).has(sqlState("22012")); // division_by_zero

        assertThat(attempts).hasValue(1);
        long kept = database.jdbi(org.heroesinwaiting.testkit.DatabaseLogin.OWNER).withHandle(handle ->
                handle.createQuery("SELECT count(*) FROM job_runs WHERE job_name = 'half-done'").mapTo(Long.class).one());
        assertThat(kept).as("nothing half-done is left").isZero();
    }

    @Test
    void aStudentContextNeverCarriesAnAddress() {
        assertThatThrownBy(() -> new ActorContext(org.heroesinwaiting.core.actor.ActorRole.STUDENT, null, UUID.randomUUID(), null,
                InetAddress.getLoopbackAddress(), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never recorded");
    }
}
