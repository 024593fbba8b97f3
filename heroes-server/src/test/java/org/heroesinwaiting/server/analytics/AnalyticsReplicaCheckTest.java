package org.heroesinwaiting.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.heroesinwaiting.persistence.analytics.AnalyticsReader;
import org.heroesinwaiting.server.health.CheckResult;
import org.heroesinwaiting.server.health.HealthStatus;
import org.heroesinwaiting.testkit.DatabaseLogin;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.heroesinwaiting.testkit.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code analytics-replica} when the URL names no standby, or nothing that answers (the lagging
 * replica: {@link AnalyticsReplicaServeTest}).
 */
class AnalyticsReplicaCheckTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    @Test
    void aPrimaryGivenAsTheReplicaIsCurrent(TestDatabase database) {
        CheckResult result = new AnalyticsReplicaCheck(AnalyticsReader.on(database.dataSource(DatabaseLogin.ANALYTICS)),
                Duration.ofMillis(1)).check();

        assertThat(result.status()).isEqualTo(HealthStatus.UP);
        assertThat(result.detail()).contains("is not a standby");
    }

    @Test
    void anUnreachableReplicaDegradesAndSaysWhich() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setURL("jdbc:postgresql://127.0.0.1:1/heroes_in_waiting");

        CheckResult result = new AnalyticsReplicaCheck(AnalyticsReader.on(nowhere), Duration.ofMinutes(5)).check();

        assertThat(result.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(result.detail()).startsWith("cannot read the analytics replica (HEROES_ANALYTICS_DATABASE_URL): ");
    }
}
