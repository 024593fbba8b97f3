package org.heroesinwaiting.persistence.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.auth.FacilitatorSummary;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The facilitator aggregate's statements (accounts and their administration), run as the actor of
 * the transaction they are attached in; row level security decides what each actor sees.
 */
public interface FacilitatorDao {

    /** The columns an administrator lists. */
    String SUMMARY = "id, email, display_name, role, is_active, created_at, last_login_at";

    @SqlUpdate("INSERT INTO facilitators (id, email, password_hash, display_name, role) VALUES (:id, :email, :hash, :name, :role)")
    void insert(@Bind("id") UUID id, @Bind("email") String email, @Bind("hash") String passwordHash, @Bind("name") String displayName,
            @Bind("role") String role);

    /** A row of {@code app.find_login}: whoever holds the email, across tenants (SECURITY DEFINER). */
    record Login(UUID facilitatorId, String passwordHash, String role, boolean isActive) {
    }

    @SqlQuery("SELECT facilitator_id, password_hash, role, is_active FROM app.find_login(:email)")
    Optional<Login> findLogin(@Bind("email") String normalisedEmail);

    @SqlUpdate("UPDATE facilitators SET password_hash = :hash WHERE id = :id")
    void setPasswordHash(@Bind("id") UUID id, @Bind("hash") String passwordHash);

    @SqlUpdate("UPDATE facilitators SET last_login_at = now() WHERE id = :id")
    void touchLastLogin(@Bind("id") UUID id);

    @SqlQuery("SELECT role FROM facilitators WHERE id = :id AND is_active")
    Optional<String> activeRole(@Bind("id") UUID id);

    /** What changing a password needs. */
    record Account(String email, String displayName, String passwordHash) {
    }

    @SqlQuery("SELECT email, display_name, password_hash FROM facilitators WHERE id = :id")
    Account account(@Bind("id") UUID id);

    @SqlQuery("SELECT " + SUMMARY + " FROM facilitators"
            + " WHERE (CAST(:at AS timestamptz) IS NULL OR (created_at, id) > (CAST(:at AS timestamptz), CAST(:after AS uuid)))"
            + " ORDER BY created_at, id LIMIT :limit")
    List<FacilitatorSummary> listAfter(@Bind("at") Instant at, @Bind("after") UUID after, @Bind("limit") int limit);

    @SqlQuery("UPDATE facilitators SET is_active = :active WHERE id = :id RETURNING " + SUMMARY)
    Optional<FacilitatorSummary> setActive(@Bind("id") UUID id, @Bind("active") boolean active);
}
