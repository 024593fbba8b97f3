package org.heroesinwaiting.persistence;

import java.util.UUID;
import org.heroesinwaiting.core.auth.AuthenticatedFacilitator;
import org.jdbi.v3.core.Jdbi;

/** Facilitators with a live session, written as the owner: no password hashing in these tests. */
public final class Facilitators {

    private Facilitators() {
    }

    /**
     * @param owner the owner's Jdbi
     * @param role {@code facilitator} or {@code admin}
     * @return a facilitator with a live session
     */
    public static AuthenticatedFacilitator create(Jdbi owner, String role) {
        UUID id = UUID.randomUUID();
        UUID session = UUID.randomUUID();
        owner.useHandle(handle -> {
            handle.createUpdate("""
                    INSERT INTO facilitators (id, email, password_hash, display_name, role)
                    VALUES (:id, :email, '$argon2id$v=19$m=19456,t=2,p=1$fixture$fixture', 'Fixture', :role)""")
                    .bind("id", id).bind("email", id + "@school.example").bind("role", role).execute();
            handle.createUpdate("""
                    INSERT INTO facilitator_sessions (id, facilitator_id, token_hash, expires_at)
                    VALUES (:id, :facilitator, sha256(CAST(:id AS text)::bytea), now() + interval '30 days')""")
                    .bind("id", session).bind("facilitator", id).execute();
        });
        return new AuthenticatedFacilitator(id, session, role);
    }
}
