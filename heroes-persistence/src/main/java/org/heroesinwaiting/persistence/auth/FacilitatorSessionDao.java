package org.heroesinwaiting.persistence.auth;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.heroesinwaiting.core.auth.SessionSummary;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** A facilitator's sessions: opened at login, rotated at refresh, revoked at logout; and their retired refresh tokens. */
public interface FacilitatorSessionDao {

    @SqlUpdate("""
            INSERT INTO facilitator_sessions (id, facilitator_id, token_hash, access_token_id, expires_at, device_info, ip_address,
                                              created_at, last_used_at)
            VALUES (:id, :facilitator, :hash, :jti, now() + CAST(:lifetime AS interval), :device, CAST(:ip AS inet), now(), now())""")
    void open(@Bind("id") UUID id, @Bind("facilitator") UUID facilitator, @Bind("hash") byte[] refreshHash, @Bind("jti") UUID tokenId,
            @Bind("lifetime") String lifetime, @Bind("device") JsonObject device, @Bind("ip") String ip);

    /** A row of {@code app.find_session_by_refresh_hash}: the session, whoever's, live or not, and whether the token was retired. */
    record RefreshLookup(UUID sessionId, UUID facilitatorId, boolean live, boolean retired) {
    }

    @SqlQuery("""
            SELECT session_id, facilitator_id, revoked_at IS NULL AND expires_at > now() AS live, retired
              FROM app.find_session_by_refresh_hash(:hash)""")
    Optional<RefreshLookup> findByRefreshHash(@Bind("hash") byte[] refreshHash);

    /** @return 1 when the session was live and still held this refresh token */
    @SqlUpdate("""
            UPDATE facilitator_sessions
               SET token_hash = :next, refresh_count = refresh_count + 1, last_used_at = now(), access_token_id = :jti
             WHERE id = :session AND token_hash = :current AND revoked_at IS NULL AND expires_at > now()""")
    int rotate(@Bind("session") UUID session, @Bind("current") byte[] currentHash, @Bind("next") byte[] nextHash, @Bind("jti") UUID tokenId);

    @SqlUpdate("INSERT INTO facilitator_retired_tokens (token_hash, session_id, retired_at) VALUES (:hash, :session, now())")
    void retire(@Bind("hash") byte[] refreshHash, @Bind("session") UUID session);

    @SqlUpdate("UPDATE facilitator_sessions SET revoked_at = now(), revoke_reason = :reason WHERE revoked_at IS NULL AND id = :session")
    int revoke(@Bind("session") UUID session, @Bind("reason") String reason);

    /** @return 1 when the facilitator's own live session was revoked */
    @SqlUpdate("""
            UPDATE facilitator_sessions SET revoked_at = now(), revoke_reason = 'logout'
             WHERE id = :session AND facilitator_id = :facilitator AND revoked_at IS NULL""")
    int revokeOwn(@Bind("facilitator") UUID facilitator, @Bind("session") UUID session);

    @SqlUpdate("""
            UPDATE facilitator_sessions SET revoked_at = now(), revoke_reason = :reason
             WHERE revoked_at IS NULL AND facilitator_id = :facilitator""")
    int revokeAll(@Bind("facilitator") UUID facilitator, @Bind("reason") String reason);

    @SqlUpdate("""
            UPDATE facilitator_sessions SET revoked_at = now(), revoke_reason = :reason
             WHERE revoked_at IS NULL AND facilitator_id = :facilitator AND id <> :session""")
    int revokeAllBut(@Bind("facilitator") UUID facilitator, @Bind("session") UUID keep, @Bind("reason") String reason);

    @SqlQuery("""
            SELECT id, device_info, host(ip_address) AS ip_address, created_at, last_used_at, id = :current AS current
              FROM facilitator_sessions
             WHERE facilitator_id = :facilitator AND revoked_at IS NULL AND expires_at > now()
             ORDER BY created_at DESC""")
    List<SessionSummary> live(@Bind("facilitator") UUID facilitator, @Bind("current") UUID current);
}
