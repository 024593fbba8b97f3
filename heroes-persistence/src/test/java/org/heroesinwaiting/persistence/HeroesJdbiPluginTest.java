package org.heroesinwaiting.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.InetAddress;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.heroesinwaiting.testkit.HeroesDatabaseExtension;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HeroesJdbiPluginTest {

    @RegisterExtension
    static HeroesDatabaseExtension db = HeroesDatabaseExtension.create();

    record Row(UUID id, JsonObject data, InetAddress address, Instant at, String label) {
    }

    @Test
    void jsonbInetUuidAndInstantsRoundTripIntoARecord(DataSource app) throws Exception {
        Jdbi jdbi = HeroesJdbi.create(app);
        UUID id = UUID.randomUUID();
        JsonObject data = Json.createObjectBuilder().add("q1", "often").add("n", 3)
                .add("nested", Json.createArrayBuilder().add(true)).build();
        Instant at = Instant.parse("2026-11-29T21:35:15.123456Z");

        Row row = jdbi.withHandle(handle -> handle.createQuery("""
                SELECT CAST(:id AS uuid) AS id, CAST(:data AS jsonb) AS data, CAST(:address AS inet) AS address,
                       CAST(:at AS timestamptz) AS at, jsonb_typeof(CAST(:data AS jsonb)) AS label""")
                .bind("id", id).bind("data", data).bind("address", InetAddress.getByName("198.51.100.23")).bind("at", at)
                .mapTo(Row.class).one());

        assertThat(row).isEqualTo(new Row(id, data, InetAddress.getByName("198.51.100.23"), at, "object"));
    }

    @Test
    void aNullJsonIsNull(DataSource app) {
        JsonObject none = HeroesJdbi.create(app).withHandle(handle -> handle.createQuery("SELECT CAST(NULL AS jsonb)")
                .mapTo(JsonObject.class).one());

        assertThat(none).isNull();
    }
}
